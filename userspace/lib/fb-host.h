/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fastboot host library over usbfs (no libusb): device discovery through
 * sysfs, the command/response/data protocol, and image flashing with
 * sparse splitting. Used by fastboot-lite and imx-factory.
 *
 * Errors: every function returns 0 or a negative errno and leaves a text
 * in fbh_error(d) naming the command and the device's answer, e.g.
 *   "flash:rootfs: device answered FAIL 'sparse: chunk 3 past the end'"
 *   "download:00100000: device gone (ENODEV)"
 * -EREMOTEIO means the device answered FAIL. fbh_error_kind(d) classifies
 * the last error (below).
 *
 * Threads: a struct fbh_dev is used by one thread at a time; different
 * devices may be driven from different threads (no global state, except
 * the per-thread text of the last fbh_open() failure).
 */
#ifndef FB_HOST_H
#define FB_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One fastboot interface found in sysfs (FF/42/03, any VID/PID). */
struct fbh_info {
	char serial[128];	/* sysfs "serial", "" if none */
	char port[40];		/* USB port path, "1-1.2" */
	char product[128];	/* sysfs "product", "" if none */
	uint16_t vid, pid;
	uint8_t busnum, devnum;
	uint8_t ifnum;		/* interface number */
	uint8_t ep_in, ep_out;	/* endpoint addresses */
	uint16_t maxpacket;	/* of the bulk OUT endpoint */
};

/* Enumerate: calls @cb for each interface found; stops if @cb != 0. */
int fbh_list(int (*cb)(const struct fbh_info *info, void *ctx), void *ctx);

struct fbh_dev;

/*
 * Open and claim the fastboot interface selected by @serial and/or @port
 * (NULL: any; exactly one must match, else -ENODEV "no device" or
 * -EEXIST "several devices: name one with -s or --port").
 * @timeout_ms: how long to wait for the device to appear (0: no wait).
 * @serial also matches "usb:<port>" (as fastboot -s does).
 * On failure *@d is NULL and fbh_error(NULL) / fbh_error_kind(NULL) give
 * the reason (per thread): -ENODEV no device, -EEXIST several, -EBUSY
 * the interface is claimed by another program, -EACCES no permission,
 * -ETIMEDOUT nothing within @timeout_ms.
 */
int fbh_open(struct fbh_dev **d, const char *serial, const char *port,
	     unsigned int timeout_ms);
void fbh_close(struct fbh_dev *d);
const struct fbh_info *fbh_info(const struct fbh_dev *d);
const char *fbh_error(const struct fbh_dev *d);

/* What the last error was about (fbh_error_kind(NULL): fbh_open()). */
enum fbh_err_kind {
	FBH_ERR_NONE,
	FBH_ERR_FAIL,		/* the device answered FAIL (-EREMOTEIO) */
	FBH_ERR_PROTOCOL,	/* bad or unexpected answer, USB I/O error */
	FBH_ERR_FILE,		/* file missing, unreadable, malformed, or
				 * bigger than the partition
				 */
	FBH_ERR_ARG,		/* bad argument (command too long, ...) */
	FBH_ERR_NODEV,		/* fbh_open(): none, several, cannot claim */
	FBH_ERR_GONE,		/* the device left the bus (-ENODEV) */
	FBH_ERR_TIMEOUT,	/* -ETIMEDOUT */
	FBH_ERR_INTR,		/* cancelled (-EINTR) */
	FBH_ERR_MISMATCH,	/* verify: the partition holds other bytes */
	FBH_ERR_NOVERIFY,	/* verify: the device can neither hash nor
				 * fetch (-EOPNOTSUPP): nothing was checked
				 */
};

enum fbh_err_kind fbh_error_kind(const struct fbh_dev *d);

/*
 * INFO lines and progress: @info gets each INFO payload; @progress gets
 * bytes done/total of the running data phase (and of a whole flash).
 * Either may be NULL. Set with fbh_set_callbacks().
 * @progress: @what names the phase ("download", "upload", "fetch rootfs",
 * "flash rootfs", "flash rootfs 2/5" for sparse pieces); it is called with
 * done == 0 when a phase starts, then as data moves; for a flash, done and
 * total count the bytes of all pieces.
 * @trace (may be NULL): every command sent (@dir '>') and every answer
 * received (@dir '<'), for logs and -v.
 */
struct fbh_callbacks {
	void (*info)(void *ctx, const char *text);
	void (*progress)(void *ctx, const char *what, uint64_t done,
			 uint64_t total);
	void *ctx;
	void (*trace)(void *ctx, char dir, const char *text);
};

void fbh_set_callbacks(struct fbh_dev *d, const struct fbh_callbacks *cb);

/*
 * Per-read timeout of a response (default 0: wait forever, as fastboot
 * 29.0.6; each INFO restarts it). -ETIMEDOUT when it expires.
 */
void fbh_set_timeout(struct fbh_dev *d, unsigned int ms);

/*
 * Cancellation: with @flag set, waits look at *@flag at least every
 * 100 ms and the running call returns -EINTR once it is non-zero; signals
 * (EINTR) are then ignored, so other handlers (SIGCHLD) do no harm.
 * Without a flag (default) a signal that interrupts a wait cancels it.
 */
void fbh_set_cancel(struct fbh_dev *d, const volatile int *flag);

/*
 * Largest download fbh_flash() makes (like fastboot -S): the smaller of
 * @max and max-download-size; 0 (default): max-download-size.
 */
void fbh_set_max_download(struct fbh_dev *d, uint32_t max);

/*
 * Send one command, read INFO* then OKAY/FAIL/DATA. OKAY: 0 and the payload
 * in @reply; FAIL: -EREMOTEIO (payload in @reply and in fbh_error);
 * DATA: the size in *@data (if @data is NULL, DATA is a protocol error).
 */
int fbh_command(struct fbh_dev *d, const char *cmd, char *reply,
		size_t reply_len, uint32_t *data);

int fbh_getvar(struct fbh_dev *d, const char *var, char *val, size_t len);

/* download:%08x + @len bytes from @buf / from @fd at @off. */
int fbh_download(struct fbh_dev *d, const void *buf, uint32_t len);
int fbh_download_fd(struct fbh_dev *d, int fd, off_t off, uint32_t len);

/* upload, or fetch:@part[:0x@off[:0x@size]] (size 0: to the end), into @fd. */
int fbh_upload(struct fbh_dev *d, int fd, uint64_t *got);
int fbh_fetch(struct fbh_dev *d, const char *part, uint64_t off,
	      uint64_t size, int fd, uint64_t *got);

/*
 * Flash file @path to @part: sent as is if it fits max-download-size,
 * else split into sparse pieces (raw input converted with zero/fill
 * detection, sparse input resplit), each downloaded and flashed.
 * If the device answers getvar:partition-size:@part, an image bigger
 * than the partition is refused before anything is sent (FBH_ERR_FILE).
 * If it FAILs getvar:max-download-size, the file goes whole (< 4 GiB).
 * The same as fbh_flash_image() with the default options.
 */
int fbh_flash(struct fbh_dev *d, const char *part, const char *path);

/* How fbh_flash_image() reads the image. */
struct fbh_flash_opts {
	const char *bmap;	/* the bmap; NULL: the one next to the file */
	bool no_bmap;		/* ignore any bmap */
};

/* What fbh_flash_image() did (filled in as far as it got). */
struct fbh_flash_info {
	const char *compression;	/* "gzip", "xz", "zstd", "bzip2"; NULL */
	char bmap[512];			/* the bmap used, "" if none */
	uint64_t image_bytes;		/* of the (uncompressed) image */
	uint64_t mapped_bytes;		/* bmap: of its mapped ranges */
	uint64_t sent_bytes;		/* downloaded, headers included */
	uint32_t pieces;		/* sparse pieces, 0: sent whole */
	uint32_t flashed;		/* pieces (or whole images) flashed */
};

/*
 * fbh_flash() of an image as build systems ship it (fb-image.h): with a
 * bmap (@o->bmap, else FILE.bmap when it exists, unless @o->no_bmap) only
 * the mapped ranges are sent and written, their checksums verified on
 * the way; gzip, xz, zstd and bzip2 files (by magic) are decompressed as
 * they are sent. A bad range, a decompressor that fails or an image that
 * does not match its bmap stops the flash before the piece that holds
 * the fault is flashed; the last piece is flashed only once the whole
 * image has proved good. FBH_ERR_FILE for these, with what the
 * partition holds then. @o and @info may be NULL.
 */
int fbh_flash_image(struct fbh_dev *d, const char *part, const char *path,
		    const struct fbh_flash_opts *o,
		    struct fbh_flash_info *info);

/* fbh_verify_image() flags */
#define FBH_VERIFY_FETCH	0x1	/* read back with fetch, even if the
					 * device can hash
					 */

/* What fbh_verify_image() did (filled in as far as it got). */
struct fbh_verify_info {
	const char *method;	/* "sha256" (oem sha256 on the device) or
				 * "fetch" (read back); NULL: none
				 */
	const char *compression;	/* "gzip", ...; NULL: plain */
	char bmap[512];		/* the bmap used, "" if none */
	bool sparse;		/* an Android sparse image */
	uint64_t bytes;		/* bytes the image defines */
	uint32_t ranges;	/* the ranges they form */
	uint32_t questions;	/* digests asked for, or fetch commands */
	/* FBH_ERR_MISMATCH: */
	uint32_t bad_range;	/* the first range that differs, 1-based */
	uint64_t bad_off, bad_len;	/* it, in bytes of the partition */
	uint64_t diff_off, diff_len;	/* its first differing piece: a
					 * block (sha256) or one byte (fetch)
					 */
};

/*
 * Prove that @part holds exactly the bytes the image @path defines
 * (fastboot-lite(1), "VERIFY"): for a raw image all of them, for a
 * sparse image its RAW and FILL chunks, with a bmap its mapped blocks
 * (@o: the bmap, as for fbh_flash_image(); may be NULL), compressed or
 * not. With a device that answers getvar:oem-sha256 the device hashes
 * the ranges ("oem sha256", only the digest crosses the wire) while the
 * host hashes the image; else, or with FBH_VERIFY_FETCH, they are read
 * back with fetch where getvar:max-fetch-size is answered. On a mismatch
 * the first differing range is found (bisecting it with more digests)
 * and named in the message with the partition. Of "mbr" only the first
 * 512 bytes count (what a device writes of it); "gpt" is refused
 * (FBH_ERR_ARG: a device writes the table rebuilt for its disk).
 * Errors: FBH_ERR_MISMATCH (-EILSEQ), FBH_ERR_NOVERIFY (-EOPNOTSUPP:
 * neither way is possible, nothing was checked), FBH_ERR_FILE (image
 * unreadable or broken, bigger than the partition), and those of the
 * commands. @info may be NULL.
 */
int fbh_verify_image(struct fbh_dev *d, const char *part, const char *path,
		     const struct fbh_flash_opts *o, unsigned int flags,
		     struct fbh_verify_info *info);

/*
 * erase:@part, reboot, reboot-bootloader, continue, boot, "oem @args":
 * the command as given; OKAY expected. After reboot*, continue and boot
 * it waits up to 3 s for the device to leave the bus.
 */
int fbh_simple(struct fbh_dev *d, const char *cmd);

#endif /* FB_HOST_H */
