/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit codes of the imxflash tools: imx-sdp(1) and fastboot-lite(1)
 * document them in their man pages and --help; the SDP host code
 * (sdp-host.h) returns them as the class of a failure.
 */
#ifndef EXIT_CODES_H
#define EXIT_CODES_H

#define EXIT_OK		0
#define EXIT_ROM	1	/* ROM refused a command, protocol error, verify mismatch */
#define EXIT_USAGE	2	/* bad command line */
#define EXIT_IMAGE	3	/* file unreadable, no/bad boot image, bad DCD */
#define EXIT_NOBOARD	4	/* no board, several boards, cannot open the node */
#define EXIT_GONE	5	/* the board left the bus during the command */
#define EXIT_TIMEOUT	6	/* the ROM did not answer in time; wait timed out */
#define EXIT_MISMATCH	7	/* verify: the storage holds other bytes */
#define EXIT_NOVERIFY	8	/* verify: the device cannot verify (no oem
				 * sha256, no fetch): nothing was checked
				 */
#define EXIT_INTR	130	/* interrupted by a signal */

#endif /* EXIT_CODES_H */
