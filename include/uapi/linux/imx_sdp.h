/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * hid-imx-sdp: the boot ROM serial downloader (SDP) of NXP i.MX SoCs as a
 * character device, /dev/imx-sdpN, one per board.
 *
 * Documentation
 * =============
 *
 * An i.MX SoC in serial download mode enumerates as a USB HID device. The
 * host sends 16-byte commands (HID report 1) and data (report 2, 1 KiB
 * each) by SET_REPORT; the ROM answers with its HAB state (report 3) and
 * a status word or data (report 4). This driver binds those ROMs, speaks
 * the protocol, and exposes one command per ioctl. Image parsing (IVT,
 * DCD, plugins, per-SoC rules) stays in userspace (imx-sdp(1)).
 *
 * Every ioctl argument is a fixed-size structure; fields named reserved
 * and flag bits not defined below must be zero, else the call fails with
 * -EINVAL. Output fields are always written (zero when not applicable).
 * Only one command runs at a time per board: a second caller waits
 * (interruptibly) or, with O_NONBLOCK, gets -EBUSY. Waits for the ROM time
 * out (-ETIMEDOUT, default 5000 ms per reply, see timeout_ms). When the
 * board is unplugged, every pending and later call returns -ENODEV; the
 * file stays valid until closed. Unknown ioctls return -ENOTTY.
 *
 * Other errors: -EPIPE (the ROM stalled a report), -EPROTO (a reply that
 * is not what the protocol allows), -EINTR (a signal, once the command
 * block is out), -EFAULT (also when @data turns out unreadable during the
 * data phase). After a command failed half way the ROM may still wait
 * for data: ERROR_STATUS resynchronises it.
 *
 * Every command returns the ROM's HAB state (report 3) in @hab
 * (IMX_SDP_HAB_OPEN or IMX_SDP_HAB_CLOSED) and, when the ROM sends one,
 * the report-4 status word in @status. A status that is not the expected
 * acknowledgment makes the call fail with -EIO, @status still filled in:
 * for a HAB event the bytes are status, reason, context, engine (little
 * endian word, e.g. 0x000a2233 for "33 22 0a 00": failure, invalid
 * address, authenticate). An unexpected HAB state gives -EPROTO.
 *
 * IMX_SDP_IOC_INFO (struct imx_sdp_info, out)
 *	Identity of the board: USB IDs, SoC profile name ("imx6q", ...), the
 *	ROM's DCD scratch address, whether it takes SKIP_DCD_HEADER, HAB state
 *	of the last reply, USB port path ("1-1.2"), and the SoC's 64-bit
 *	unique ID when it could be read (IMX_SDP_INFO_UID).
 *
 * At probe, before the node and the board's hidraw appear, the driver
 * asks the ROM who the board is: ERROR_STATUS (its report 3 gives the HAB
 * state) and READ_REGISTER of the fuse shadow registers that hold the
 * unique ID, then ERROR_STATUS again to see that the reads were not
 * refused. A board that does not answer still gets its node, with HAB
 * state and ID unknown and the reason in last_error. The module
 * parameter identify_ms (default 1000) bounds each reply; 0 skips it.
 *
 * IMX_SDP_IOC_ERROR_STATUS (struct imx_sdp_cmd, in/out)
 *	ERROR_STATUS: @status = the ROM's last error (0xf0f0f0f0: none). The
 *	status value itself never makes the call fail (only transport
 *	errors do).
 *
 * IMX_SDP_IOC_READ_REG (struct imx_sdp_cmd, in/out)
 *	READ_REGISTER of @count bytes (1..IMX_SDP_MAX_XFER, any value) at
 *	@addr with access width @format (IMX_SDP_FORMAT_8/16/32) into the
 *	buffer at @data. A ROM that refuses the read sends one report 4
 *	holding a HAB event instead of the data: for @count > 64 this is -EIO
 *	with the event in @status; a shorter read cannot tell it from data
 *	and returns it as such.
 *
 * IMX_SDP_IOC_WRITE_REG (struct imx_sdp_cmd, in/out)
 *	WRITE_REGISTER of @value at @addr with width @format. @count and
 *	@data must be 0. Expects status 0x128a8a12.
 *
 * IMX_SDP_IOC_WRITE_FILE (struct imx_sdp_cmd, in/out)
 *	WRITE_FILE of @count bytes from @data to @addr. The ROM stores whole
 *	1 KiB reports: the driver sends the last one short (@count exactly),
 *	unless IMX_SDP_F_PAD is set, which pads it with zeros to 1 KiB as
 *	Windows hosts do. Expects 0x88888888. Progress is visible in sysfs
 *	(progress). A signal aborts the transfer between reports (-EINTR);
 *	the ROM is then left waiting for data: send ERROR_STATUS to resync.
 *	IMX_SDP_F_PAD is taken by the three commands with a data phase
 *	(WRITE_FILE, DCD_WRITE, WRITE_CSF); any other command fails with
 *	-EINVAL when it is set. @addr + @count must not pass 4 GiB.
 *
 * IMX_SDP_IOC_DCD_WRITE (struct imx_sdp_cmd, in/out)
 *	DCD_WRITE of the DCD (@count bytes, <= 1768) at @data to the ROM's
 *	scratch address @addr; the ROM runs it. Expects 0x128a8a12.
 *
 * IMX_SDP_IOC_WRITE_CSF (struct imx_sdp_cmd, in/out)
 *	WRITE_CSF of @count bytes at @data to @addr. Expects 0x128a8a12.
 *
 * IMX_SDP_IOC_SKIP_DCD (struct imx_sdp_cmd, in/out)
 *	SKIP_DCD_HEADER: the next JUMP does not run the image's DCD again.
 *	Expects 0x900dd009 (wire 09 d0 0d 90).
 *
 * IMX_SDP_IOC_JUMP (struct imx_sdp_cmd, in/out)
 *	JUMP_ADDRESS to the IVT at @addr. As the ROM: report 3, then silence
 *	means success (the board runs the image and usually leaves the bus);
 *	a report 4 within @timeout_ms (default 500) is a HAB event: -EIO with
 *	the event in @status. The board leaving the bus after report 3 is
 *	success too. A non-zero @timeout_ms also bounds the wait for report 3.
 *
 * pread()/pwrite() on the node read (READ_REGISTER, 32-bit access when
 * offset and length allow, else 8-bit) and write (WRITE_FILE) target
 * memory, the file offset being the target address. One call is one
 * command of at most IMX_SDP_MAX_XFER bytes (longer calls are short);
 * lseek() goes up to 4 GiB, where read() returns 0 and write() -ENOSPC.
 *
 * sysfs, per node (/sys/class/imx_sdp/imx-sdpN/): soc ("unknown" for an
 * ID added with new_id), hab (open, closed, unknown), uid (the unique ID
 * as 16 upper-case hex digits, or "unknown"), state (idle, busy,
 * gone), progress ("done total" bytes of the running or last transfer),
 * port (USB port path, as named in /sys/bus/usb/devices; empty for
 * non-USB transports), last_error (the last failure: command, address,
 * ROM answer or what failed locally). The HID driver is "hid-imx-sdp":
 * other ROM IDs can be added with
 * echo "0003 VVVV PPPP 0" > /sys/bus/hid/drivers/hid-imx-sdp/new_id
 */
#ifndef _UAPI_LINUX_IMX_SDP_H
#define _UAPI_LINUX_IMX_SDP_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define IMX_SDP_HAB_UNKNOWN	0
#define IMX_SDP_HAB_OPEN	0x56787856
#define IMX_SDP_HAB_CLOSED	0x12343412

#define IMX_SDP_FORMAT_8	0x08
#define IMX_SDP_FORMAT_16	0x10
#define IMX_SDP_FORMAT_32	0x20

/* Largest @count of one READ_REG/WRITE_FILE/WRITE_CSF call. */
#define IMX_SDP_MAX_XFER	0x40000000U

/* struct imx_sdp_cmd.flags */
#define IMX_SDP_F_PAD		0x1	/* data phase: pad last report to 1 KiB */
#define IMX_SDP_F_ALL		0x1

/* struct imx_sdp_info.flags */
#define IMX_SDP_INFO_SKIP_DCD	0x1	/* ROM takes SKIP_DCD_HEADER */
#define IMX_SDP_INFO_IVT_V41	0x2	/* i.MX8M: IVT version 0x41 */
#define IMX_SDP_INFO_UID	0x4	/* @uid holds the SoC's unique ID */

/**
 * struct imx_sdp_cmd - one SDP command
 * @addr:       target address (ADDRESS field)
 * @format:     access width for register commands, else 0
 * @count:      bytes of the data phase / of the read
 * @value:      WRITE_REG value
 * @flags:      IMX_SDP_F_*
 * @data:       user pointer to @count bytes (read or write buffer)
 * @timeout_ms: per-reply timeout, 0 = default
 * @hab:        out: HAB state of the reply (report 3)
 * @status:     out: report-4 status word, 0 if none
 * @reserved:   must be zero
 */
struct imx_sdp_cmd {
	__u32 addr;
	__u32 format;
	__u32 count;
	__u32 value;
	__u32 flags;
	__u32 timeout_ms;
	__u64 data;
	__u32 hab;
	__u32 status;
	__u32 reserved[4];
};

/**
 * struct imx_sdp_info - identity of the board behind the node
 * @vendor:   USB idVendor
 * @product:  USB idProduct
 * @flags:    IMX_SDP_INFO_*
 * @dcd_addr: the ROM's DCD scratch address
 * @hab:      HAB state seen in the last reply (IMX_SDP_HAB_*)
 * @soc:      SoC profile name, NUL-terminated ("imx6ull", "unknown")
 * @port:     USB port path, NUL-terminated ("1-1.2")
 * @uid:      the SoC's unique ID (fuses), read at probe; 0 unless
 *            IMX_SDP_INFO_UID is set
 * @reserved: zero
 */
struct imx_sdp_info {
	__u16 vendor;
	__u16 product;
	__u32 flags;
	__u32 dcd_addr;
	__u32 hab;
	char soc[16];
	char port[32];
	__u64 uid;
	__u32 reserved[2];
};

#define IMX_SDP_IOC_MAGIC	0xB9

#define IMX_SDP_IOC_INFO	 _IOR(IMX_SDP_IOC_MAGIC, 0x00, struct imx_sdp_info)
#define IMX_SDP_IOC_ERROR_STATUS _IOWR(IMX_SDP_IOC_MAGIC, 0x01, struct imx_sdp_cmd)
#define IMX_SDP_IOC_READ_REG	 _IOWR(IMX_SDP_IOC_MAGIC, 0x02, struct imx_sdp_cmd)
#define IMX_SDP_IOC_WRITE_REG	 _IOWR(IMX_SDP_IOC_MAGIC, 0x03, struct imx_sdp_cmd)
#define IMX_SDP_IOC_WRITE_FILE	 _IOWR(IMX_SDP_IOC_MAGIC, 0x04, struct imx_sdp_cmd)
#define IMX_SDP_IOC_DCD_WRITE	 _IOWR(IMX_SDP_IOC_MAGIC, 0x05, struct imx_sdp_cmd)
#define IMX_SDP_IOC_WRITE_CSF	 _IOWR(IMX_SDP_IOC_MAGIC, 0x06, struct imx_sdp_cmd)
#define IMX_SDP_IOC_SKIP_DCD	 _IOWR(IMX_SDP_IOC_MAGIC, 0x07, struct imx_sdp_cmd)
#define IMX_SDP_IOC_JUMP	 _IOWR(IMX_SDP_IOC_MAGIC, 0x08, struct imx_sdp_cmd)

#endif /* _UAPI_LINUX_IMX_SDP_H */
