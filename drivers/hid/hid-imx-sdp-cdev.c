// SPDX-License-Identifier: GPL-2.0
/*
 * hid-imx-sdp: the character device /dev/imx-sdpN. One ioctl per SDP
 * command (uapi <linux/imx_sdp.h>), and pread()/pwrite() on target memory
 * with the file offset as the target address (READ_REGISTER and
 * WRITE_FILE). Arguments are checked here, before the board is touched;
 * the command engine in hid-imx-sdp-cmd.c does the rest.
 */

#include <linux/fs.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include <linux/imx_sdp.h>
#include <imxflash/imx_image.h>

#include "hid-imx-sdp.h"

/* pread/pwrite offsets are 32-bit target addresses. */
#define IMX_SDP_ADDR_SPACE	SZ_4G

/*
 * Take the board for one command: -EBUSY instead of waiting with
 * O_NONBLOCK, -ENODEV once it is gone.
 */
static int imx_sdp_lock(struct imx_sdp *sdp, struct file *file)
{
	if (file->f_flags & O_NONBLOCK) {
		if (!mutex_trylock(&sdp->io_lock))
			return -EBUSY;
	} else if (mutex_lock_interruptible(&sdp->io_lock)) {
		return -ERESTARTSYS;
	}
	if (imx_sdp_gone(sdp)) {
		mutex_unlock(&sdp->io_lock);
		return -ENODEV;
	}
	WRITE_ONCE(sdp->busy, true);
	return 0;
}

static void imx_sdp_unlock(struct imx_sdp *sdp)
{
	WRITE_ONCE(sdp->busy, false);
	mutex_unlock(&sdp->io_lock);
}

static int imx_sdp_exec(struct imx_sdp *sdp, struct file *file,
			struct imx_sdp_req *req)
{
	int ret;

	ret = imx_sdp_lock(sdp, file);
	if (ret)
		return ret;
	ret = imx_sdp_run(sdp, req);
	imx_sdp_unlock(sdp);
	return ret;
}

static int imx_sdp_open(struct inode *inode, struct file *file)
{
	struct imx_sdp *sdp = container_of(inode->i_cdev, struct imx_sdp, cdev);

	/* The cdev pins @sdp (its parent device) while the file is open. */
	if (imx_sdp_gone(sdp))
		return -ENODEV;
	file->private_data = sdp;
	return 0;
}

static loff_t imx_sdp_llseek(struct file *file, loff_t offset, int whence)
{
	return fixed_size_llseek(file, offset, whence, IMX_SDP_ADDR_SPACE);
}

/* 32-bit accesses where address and length allow, else bytes. */
static ssize_t imx_sdp_read(struct file *file, char __user *buf, size_t len,
			    loff_t *ppos)
{
	struct imx_sdp *sdp = file->private_data;
	struct imx_sdp_req req = { };
	u64 pos = *ppos;
	int ret;

	if (pos >= IMX_SDP_ADDR_SPACE)
		return 0;
	len = min3(len, (size_t)(IMX_SDP_ADDR_SPACE - pos),
		   (size_t)IMX_SDP_MAX_XFER);
	if (!len)
		return 0;

	req.cmd.type = SDP_READ_REGISTER;
	req.cmd.addr = pos;
	req.cmd.count = len;
	req.cmd.format = IS_ALIGNED(pos | len, 4) ? SDP_FORMAT_32 :
						     SDP_FORMAT_8;
	req.data = buf;
	ret = imx_sdp_exec(sdp, file, &req);
	if (ret)
		return ret;
	*ppos = pos + len;
	return len;
}

/* WRITE_FILE; the ROM stores whole 1 KiB reports, the last one short. */
static ssize_t imx_sdp_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *ppos)
{
	struct imx_sdp *sdp = file->private_data;
	struct imx_sdp_req req = { };
	u64 pos = *ppos;
	int ret;

	if (!len)
		return 0;
	if (pos >= IMX_SDP_ADDR_SPACE)
		return -ENOSPC;
	len = min3(len, (size_t)(IMX_SDP_ADDR_SPACE - pos),
		   (size_t)IMX_SDP_MAX_XFER);

	req.cmd.type = SDP_WRITE_FILE;
	req.cmd.addr = pos;
	req.cmd.count = len;
	req.data = (void __user *)buf;
	ret = imx_sdp_exec(sdp, file, &req);
	if (ret)
		return ret;
	*ppos = pos + len;
	return len;
}

static int imx_sdp_ioctl_info(struct imx_sdp *sdp,
			      struct imx_sdp_info __user *uinfo)
{
	struct imx_sdp_info info;

	if (imx_sdp_gone(sdp))
		return -ENODEV;

	memset(&info, 0, sizeof(info));
	info.vendor = sdp->vendor;
	info.product = sdp->product;
	if (sdp->soc) {
		if (sdp->soc->flags & SDP_SOC_SKIP_DCD)
			info.flags |= IMX_SDP_INFO_SKIP_DCD;
		if (sdp->soc->ivt_version == IMX_IVT_V41)
			info.flags |= IMX_SDP_INFO_IVT_V41;
		info.dcd_addr = sdp->soc->dcd_addr;
		strscpy(info.soc, sdp->soc->name, sizeof(info.soc));
	} else {
		strscpy(info.soc, "unknown", sizeof(info.soc));
	}
	info.hab = READ_ONCE(sdp->hab);
	strscpy(info.port, sdp->port, sizeof(info.port));
	if (sdp->has_uid) {
		info.flags |= IMX_SDP_INFO_UID;
		info.uid = sdp->uid;
	}

	if (copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static bool imx_sdp_has_data_phase(u16 type)
{
	return type == SDP_WRITE_FILE || type == SDP_DCD_WRITE ||
	       type == SDP_WRITE_CSF;
}

/* Check the ioctl argument and turn it into the command to send. */
static int imx_sdp_req_init(struct imx_sdp_req *req, u16 type,
			    const struct imx_sdp_cmd *arg)
{
	struct sdp_cmd *c = &req->cmd;

	if (memchr_inv(arg->reserved, 0, sizeof(arg->reserved)) ||
	    arg->flags & ~IMX_SDP_F_ALL)
		return -EINVAL;
	if ((arg->flags & IMX_SDP_F_PAD) && !imx_sdp_has_data_phase(type))
		return -EINVAL;

	c->type = type;
	req->flags = arg->flags;
	req->timeout_ms = arg->timeout_ms;
	switch (type) {
	case SDP_READ_REGISTER:
	case SDP_WRITE_FILE:
	case SDP_DCD_WRITE:
	case SDP_WRITE_CSF:
		if (!arg->count || arg->count > IMX_SDP_MAX_XFER ||
		    (u64)arg->addr + arg->count > IMX_SDP_ADDR_SPACE)
			return -EINVAL;
		req->data = u64_to_user_ptr(arg->data);
		if (!access_ok(req->data, arg->count))
			return -EFAULT;
		c->addr = arg->addr;
		c->count = arg->count;
		if (type == SDP_READ_REGISTER)
			c->format = arg->format;
		break;
	case SDP_WRITE_REGISTER:
		if (arg->count || arg->data)
			return -EINVAL;
		c->addr = arg->addr;
		c->format = arg->format;
		/* One access of the format's width, as imx_usb sends it. */
		c->count = sdp_format_width(arg->format);
		c->data = arg->value;
		break;
	case SDP_JUMP_ADDRESS:
		c->addr = arg->addr;
		break;
	}
	/* Widths, counts, the DCD size limit: the protocol core's rules. */
	return sdp_cmd_validate(c, NULL) ? -EINVAL : 0;
}

static long imx_sdp_ioctl_cmd(struct imx_sdp *sdp, struct file *file,
			      u16 type, struct imx_sdp_cmd __user *uarg)
{
	struct imx_sdp_req req = { };
	struct imx_sdp_cmd arg;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	ret = imx_sdp_req_init(&req, type, &arg);
	if (!ret)
		ret = imx_sdp_exec(sdp, file, &req);

	/*
	 * Output fields are always written, zero when the ROM did not say;
	 * its answer comes back together with the error that it caused.
	 */
	arg.hab = req.hab;
	arg.status = req.status;
	if (copy_to_user(uarg, &arg, sizeof(arg)) && !ret)
		ret = -EFAULT;
	return ret;
}

static long imx_sdp_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct imx_sdp *sdp = file->private_data;
	void __user *argp = (void __user *)arg;
	u16 type;

	switch (cmd) {
	case IMX_SDP_IOC_INFO:
		return imx_sdp_ioctl_info(sdp, argp);
	case IMX_SDP_IOC_ERROR_STATUS:
		type = SDP_ERROR_STATUS;
		break;
	case IMX_SDP_IOC_READ_REG:
		type = SDP_READ_REGISTER;
		break;
	case IMX_SDP_IOC_WRITE_REG:
		type = SDP_WRITE_REGISTER;
		break;
	case IMX_SDP_IOC_WRITE_FILE:
		type = SDP_WRITE_FILE;
		break;
	case IMX_SDP_IOC_DCD_WRITE:
		type = SDP_DCD_WRITE;
		break;
	case IMX_SDP_IOC_WRITE_CSF:
		type = SDP_WRITE_CSF;
		break;
	case IMX_SDP_IOC_SKIP_DCD:
		type = SDP_SKIP_DCD_HEADER;
		break;
	case IMX_SDP_IOC_JUMP:
		type = SDP_JUMP_ADDRESS;
		break;
	default:
		return -ENOTTY;
	}
	return imx_sdp_ioctl_cmd(sdp, file, type, argp);
}

const struct file_operations imx_sdp_fops = {
	.owner		= THIS_MODULE,
	.open		= imx_sdp_open,
	.llseek		= imx_sdp_llseek,
	.read		= imx_sdp_read,
	.write		= imx_sdp_write,
	.unlocked_ioctl	= imx_sdp_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};
