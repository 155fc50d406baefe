// SPDX-License-Identifier: GPL-2.0
/*
 * hid-imx-sdp: who the board is, asked once at probe, before its node and
 * its hidraw exist (so no other command can interleave): ERROR_STATUS,
 * whose report 3 tells whether HAB is open or closed, then READ_REGISTER
 * of the fuse shadow registers that hold the SoC's 64-bit unique ID
 * (Documentation/sdp-protocol.rst, "Board identity"). None of this
 * changes anything on the board, and an untouched board's sysfs hab and
 * uid are known from the start.
 *
 * A ROM that refuses a 4-byte READ_REGISTER answers with a HAB event in
 * place of the data, which cannot be told from data by looking at it. The
 * ROM also keeps that event for ERROR_STATUS: a second ERROR_STATUS that
 * differs from the first means a read was refused, and no ID is taken.
 *
 * A board that does not answer, or refuses, still binds: hab or uid stay
 * "unknown" and last_error says why.
 */

#include <linux/module.h>

#include "hid-imx-sdp.h"

static unsigned int identify_ms = 1000;
module_param(identify_ms, uint, 0644);
MODULE_PARM_DESC(identify_ms,
		 "At probe, per ROM reply: time to read the HAB state and unique ID (ms); 0 skips both");

static int imx_sdp_id_status(struct imx_sdp *sdp, unsigned int ms,
			     u32 *status)
{
	struct imx_sdp_req req = {
		.cmd.type = SDP_ERROR_STATUS,
		.timeout_ms = ms,
	};
	int ret;

	ret = imx_sdp_run(sdp, &req);
	*status = req.status;
	return ret;
}

static int imx_sdp_id_reg(struct imx_sdp *sdp, unsigned int ms, u32 addr,
			  u32 *val)
{
	u8 buf[4];
	struct imx_sdp_req req = {
		.cmd.type = SDP_READ_REGISTER,
		.cmd.format = SDP_FORMAT_32,
		.cmd.addr = addr,
		.cmd.count = sizeof(buf),
		.kbuf = buf,
		.timeout_ms = ms,
	};
	int ret;

	ret = imx_sdp_run(sdp, &req);
	if (!ret)
		*val = imxf_get_le32(buf);
	return ret;
}

static void imx_sdp_id_refused(struct imx_sdp *sdp, u32 before, u32 after)
{
	char was[IMX_SDP_STATUS_TEXT], now[IMX_SDP_STATUS_TEXT];

	sdp_status_format(was, sizeof(was), before);
	sdp_status_format(now, sizeof(now), after);
	spin_lock_irq(&sdp->lock);
	scnprintf(sdp->last_error, sizeof(sdp->last_error),
		  "unique ID not read: the ROM's error status went from %s to %s while reading its fuses",
		  was, now);
	spin_unlock_irq(&sdp->lock);
}

/*
 * Called by probe with the HID device open and its input flowing; sets
 * @sdp->hab (through the commands) and @sdp->uid, @sdp->has_uid.
 */
void imx_sdp_identify(struct imx_sdp *sdp)
{
	const struct sdp_soc *soc = sdp->soc;
	unsigned int ms = READ_ONCE(identify_ms), i;
	u32 regs[SDP_UID_REGS_MAX];
	u32 before, after;
	u64 uid;

	if (!ms)
		return;
	mutex_lock(&sdp->io_lock);
	if (imx_sdp_id_status(sdp, ms, &before) || !soc || !soc->uid.nregs)
		goto out;
	for (i = 0; i < soc->uid.nregs; i++)
		if (imx_sdp_id_reg(sdp, ms, soc->uid.addr[i], &regs[i]))
			goto out;
	if (imx_sdp_id_status(sdp, ms, &after))
		goto out;
	if (after != before) {
		imx_sdp_id_refused(sdp, before, after);
		goto out;
	}
	if (!sdp_soc_uid_join(soc, regs, &uid)) {
		sdp->uid = uid;
		sdp->has_uid = true;
	}
out:
	/* progress is about the user's transfers */
	atomic_set(&sdp->done, 0);
	WRITE_ONCE(sdp->total, 0);
	mutex_unlock(&sdp->io_lock);
}
