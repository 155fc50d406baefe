// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_sdp: USB gadget function that behaves like the NXP i.MX boot
 * ROM's Serial Download Protocol (the "serial downloader"), so that SDP
 * hosts (imx_usb, uuu, hid-imx-sdp) can be tested without a board.
 *
 * USB shape, as the ROM: one HID interface (class 3/0/0) with one
 * interrupt-IN endpoint and no OUT endpoint; the host sends reports 1 and
 * 2 with SET_REPORT on ep0, the device answers with reports 3 and 4 on
 * the interrupt endpoint. The gadget's VID/PID decide what the host
 * thinks it talks to; the "soc" attribute picks the ROM profile.
 *
 * configfs: functions/sdp.<name>/ with
 *   soc            ROM profile (imx6q, imx6ull, ...), default imx6q
 *   hab            "open" or "closed"
 *   uid            the SoC's unique ID, 16 hex digits, served at the
 *                  profile's OCOTP fuse shadows (random by default)
 *   mem_limit      bytes of emulated memory the board may allocate
 *   boot_delay_ms  time between a successful JUMP and the disconnect
 *   state          off, idle, data, booting, booted (read-only)
 *   jump_addr      address of the last successful JUMP (read-only)
 *   last_error     what the last failed command did wrong (read-only)
 *   stats          counters (read-only)
 *
 * A successful JUMP "boots" the board: once report 3 has reached the host,
 * the function deactivates itself (the device leaves the bus) and a
 * KOBJ_CHANGE uevent with SDP_STATE=booted is sent on the gadget device.
 */

#include <linux/hid.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/usb/composite.h>

#include "u_sdp.h"

#define SDP_IN_MAXPACKET	64
#define SDP_IN_LEN		(1 + SDP_STATUS_MAX)
#define SDP_OUT_MAX		(1 + SDP_DATA_MAX)

/* bRequestType and bRequest of a control request, as one switch value. */
#define SDP_REQ(type, req)	((type) << 8 | (req))
#define SDP_STD_IN		(USB_DIR_IN | USB_TYPE_STANDARD | USB_RECIP_INTERFACE)
#define SDP_CLASS_IN		(USB_DIR_IN | USB_TYPE_CLASS | USB_RECIP_INTERFACE)
#define SDP_CLASS_OUT		(USB_DIR_OUT | USB_TYPE_CLASS | USB_RECIP_INTERFACE)

struct f_sdp {
	struct usb_function func;
	struct sdp_rom *rom;
	struct usb_ep *in_ep;
	struct usb_request *in_req;
	struct delayed_work boot_work;
	u16 boot_delay_ms;
	u8 intf;
	u8 online:1;		/* IN endpoint enabled; under rom->lock */
	u8 kicking:1;		/* sdp_tx_kick() running; under rom->lock */
	u8 deactivated:1;	/* process context only */
};

static inline struct f_sdp *func_to_sdp(struct usb_function *f)
{
	return container_of(f, struct f_sdp, func);
}

static inline struct f_sdp_opts *to_sdp_opts(struct config_item *item)
{
	return container_of(to_config_group(item), struct f_sdp_opts,
			    func_inst.group);
}

static struct usb_interface_descriptor sdp_intf_desc = {
	.bLength		= sizeof(sdp_intf_desc),
	.bDescriptorType	= USB_DT_INTERFACE,
	.bNumEndpoints		= 1,
	.bInterfaceClass	= USB_CLASS_HID,
	.bInterfaceSubClass	= 0,
	.bInterfaceProtocol	= 0,
};

/* HID class descriptor: one 76-byte report descriptor. */
static struct hid_descriptor sdp_hid_desc = {
	.bLength		= sizeof(sdp_hid_desc),
	.bDescriptorType	= HID_DT_HID,
	.bcdHID			= cpu_to_le16(0x0110),
	.bCountryCode		= 0,
	.bNumDescriptors	= 1,
	.rpt_desc		= {
		.bDescriptorType	= HID_DT_REPORT,
		.wDescriptorLength	= cpu_to_le16(SDP_REPORT_DESC_LEN),
	},
};

static struct usb_endpoint_descriptor sdp_fs_in_desc = {
	.bLength		= USB_DT_ENDPOINT_SIZE,
	.bDescriptorType	= USB_DT_ENDPOINT,
	.bEndpointAddress	= USB_DIR_IN,
	.bmAttributes		= USB_ENDPOINT_XFER_INT,
	.wMaxPacketSize		= cpu_to_le16(SDP_IN_MAXPACKET),
	.bInterval		= 1,
};

/* 2^(4-1) microframes = 1 ms, the full-speed polling rate. */
static struct usb_endpoint_descriptor sdp_hs_in_desc = {
	.bLength		= USB_DT_ENDPOINT_SIZE,
	.bDescriptorType	= USB_DT_ENDPOINT,
	.bEndpointAddress	= USB_DIR_IN,
	.bmAttributes		= USB_ENDPOINT_XFER_INT,
	.wMaxPacketSize		= cpu_to_le16(SDP_IN_MAXPACKET),
	.bInterval		= 4,
};

static struct usb_endpoint_descriptor sdp_ss_in_desc = {
	.bLength		= USB_DT_ENDPOINT_SIZE,
	.bDescriptorType	= USB_DT_ENDPOINT,
	.bEndpointAddress	= USB_DIR_IN,
	.bmAttributes		= USB_ENDPOINT_XFER_INT,
	.wMaxPacketSize		= cpu_to_le16(SDP_IN_MAXPACKET),
	.bInterval		= 4,
};

static struct usb_ss_ep_comp_descriptor sdp_ss_in_comp_desc = {
	.bLength		= sizeof(sdp_ss_in_comp_desc),
	.bDescriptorType	= USB_DT_SS_ENDPOINT_COMP,
	.wBytesPerInterval	= cpu_to_le16(SDP_IN_MAXPACKET),
};

static struct usb_descriptor_header *sdp_fs_descs[] = {
	(struct usb_descriptor_header *)&sdp_intf_desc,
	(struct usb_descriptor_header *)&sdp_hid_desc,
	(struct usb_descriptor_header *)&sdp_fs_in_desc,
	NULL,
};

static struct usb_descriptor_header *sdp_hs_descs[] = {
	(struct usb_descriptor_header *)&sdp_intf_desc,
	(struct usb_descriptor_header *)&sdp_hid_desc,
	(struct usb_descriptor_header *)&sdp_hs_in_desc,
	NULL,
};

static struct usb_descriptor_header *sdp_ss_descs[] = {
	(struct usb_descriptor_header *)&sdp_intf_desc,
	(struct usb_descriptor_header *)&sdp_hid_desc,
	(struct usb_descriptor_header *)&sdp_ss_in_desc,
	(struct usb_descriptor_header *)&sdp_ss_in_comp_desc,
	NULL,
};

/*
 * Queue pending reports while the IN request is free. The lock is dropped
 * around usb_ep_queue(): some UDCs (dummy_hcd's one-packet FIFO) complete
 * a short IN request before usb_ep_queue() returns. A completion that
 * arrives while we are here only clears tx_busy; the loop sees it.
 */
static void sdp_tx_kick(struct f_sdp *sdp)
{
	struct sdp_rom *rom = sdp->rom;
	struct usb_request *req = sdp->in_req;
	unsigned long flags;
	int len, err;

	spin_lock_irqsave(&rom->lock, flags);
	if (sdp->kicking) {
		spin_unlock_irqrestore(&rom->lock, flags);
		return;
	}
	sdp->kicking = 1;
	while (sdp->online && !rom->tx_busy) {
		len = sdp_rom_next_in(rom, req->buf);
		if (!len)
			break;
		req->length = len;
		rom->tx_busy = 1;
		spin_unlock_irqrestore(&rom->lock, flags);
		err = usb_ep_queue(sdp->in_ep, req, GFP_ATOMIC);
		spin_lock_irqsave(&rom->lock, flags);
		if (err) {
			rom->tx_busy = 0;
			sdp_rom_error(rom, rom->err_status,
				      "queueing report %u on the interrupt endpoint failed (%d)",
				      ((u8 *)req->buf)[0], err);
			break;
		}
	}
	sdp->kicking = 0;
	spin_unlock_irqrestore(&rom->lock, flags);
}

static void sdp_in_complete(struct usb_ep *ep, struct usb_request *req)
{
	struct f_sdp *sdp = req->context;
	struct sdp_rom *rom = sdp->rom;
	unsigned long flags;

	spin_lock_irqsave(&rom->lock, flags);
	rom->tx_busy = 0;
	if (req->status) {
		/*
		 * -ESHUTDOWN, -ECONNRESET, -ECONNABORTED: link gone. A JUMP
		 * that was accepted still boots the board: the ROM does not
		 * wait for the host to read report 3.
		 */
		if (rom->boot_pending) {
			rom->boot_pending = 0;
			schedule_delayed_work(&sdp->boot_work, 0);
		}
		spin_unlock_irqrestore(&rom->lock, flags);
		return;
	}
	/* The ROM leaves the bus only after the host saw JUMP's report 3. */
	if (rom->boot_pending && !rom->tx_hab && !rom->tx_status &&
	    !rom->rd_left) {
		rom->boot_pending = 0;
		schedule_delayed_work(&sdp->boot_work,
				      msecs_to_jiffies(sdp->boot_delay_ms));
	}
	spin_unlock_irqrestore(&rom->lock, flags);
	sdp_tx_kick(sdp);
}

static void sdp_ep0_complete(struct usb_ep *ep, struct usb_request *req)
{
	struct f_sdp *sdp = req->context;
	struct sdp_rom *rom = sdp->rom;
	unsigned long flags;

	if (req->status)
		return;
	spin_lock_irqsave(&rom->lock, flags);
	sdp_rom_out_report(rom, req->buf, req->actual);
	spin_unlock_irqrestore(&rom->lock, flags);
	sdp_tx_kick(sdp);
}

static void sdp_boot_work(struct work_struct *work)
{
	struct f_sdp *sdp = container_of(to_delayed_work(work), struct f_sdp,
					 boot_work);
	struct usb_composite_dev *cdev = sdp->func.config->cdev;
	struct f_sdp_opts *opts = container_of(sdp->func.fi, struct f_sdp_opts,
					       func_inst);
	struct sdp_rom *rom = sdp->rom;
	char addr_env[32], name_env[64];
	char *envp[4];
	u32 addr;
	int err;

	spin_lock_irq(&rom->lock);
	if (rom->state != SDP_ST_BOOTING) {
		spin_unlock_irq(&rom->lock);
		return;
	}
	rom->state = SDP_ST_BOOTED;
	addr = rom->jump_addr;
	spin_unlock_irq(&rom->lock);

	err = usb_function_deactivate(&sdp->func);
	if (err) {
		spin_lock_irq(&rom->lock);
		sdp_rom_error(rom, rom->err_status,
			      "leaving the bus after JUMP failed (%d)", err);
		spin_unlock_irq(&rom->lock);
	} else {
		sdp->deactivated = 1;
	}
	snprintf(addr_env, sizeof(addr_env), "SDP_JUMP_ADDR=0x%08x", addr);
	snprintf(name_env, sizeof(name_env), "SDP_FUNCTION=%s",
		 config_item_name(&opts->func_inst.group.cg_item));
	envp[0] = "SDP_STATE=booted";
	envp[1] = addr_env;
	envp[2] = name_env;
	envp[3] = NULL;
	kobject_uevent_env(&cdev->gadget->dev.kobj, KOBJ_CHANGE, envp);
	INFO(cdev, "%s: JUMP to 0x%08x, board booted, left the bus\n",
	     config_item_name(&opts->func_inst.group.cg_item), addr);
}

static int sdp_setup(struct usb_function *f,
		     const struct usb_ctrlrequest *ctrl)
{
	struct f_sdp *sdp = func_to_sdp(f);
	struct usb_composite_dev *cdev = f->config->cdev;
	struct usb_request *req = cdev->req;
	u16 w_value = le16_to_cpu(ctrl->wValue);
	u16 w_length = le16_to_cpu(ctrl->wLength);
	int len = -EOPNOTSUPP;
	int err;

	switch (SDP_REQ(ctrl->bRequestType, ctrl->bRequest)) {
	case SDP_REQ(SDP_STD_IN, USB_REQ_GET_DESCRIPTOR):
		if (w_value >> 8 == HID_DT_REPORT) {
			len = min_t(u16, w_length, SDP_REPORT_DESC_LEN);
			memcpy(req->buf, sdp_report_desc, len);
		} else if (w_value >> 8 == HID_DT_HID) {
			len = min_t(u16, w_length, sizeof(sdp_hid_desc));
			memcpy(req->buf, &sdp_hid_desc, len);
		}
		break;
	case SDP_REQ(SDP_CLASS_OUT, HID_REQ_SET_REPORT):
		/* Output reports 1 and 2 only, ID byte + up to 1024 bytes. */
		if (w_value >> 8 != HID_OUTPUT_REPORT + 1 || !w_length ||
		    w_length > SDP_OUT_MAX)
			break;
		req->complete = sdp_ep0_complete;
		req->context = sdp;
		len = w_length;
		break;
	case SDP_REQ(SDP_CLASS_OUT, HID_REQ_SET_IDLE):
	case SDP_REQ(SDP_CLASS_OUT, HID_REQ_SET_PROTOCOL):
		len = 0;
		break;
	case SDP_REQ(SDP_CLASS_IN, HID_REQ_GET_IDLE):
		len = min_t(u16, w_length, 1);
		memset(req->buf, 0, len);
		break;
	case SDP_REQ(SDP_CLASS_IN, HID_REQ_GET_PROTOCOL):
		len = min_t(u16, w_length, 1);
		memset(req->buf, 1, len);	/* report protocol */
		break;
	}
	/* GET_REPORT and anything else: STALL, as the ROM does not answer. */
	if (len < 0)
		return len;

	req->zero = 0;
	req->length = len;
	err = usb_ep_queue(cdev->gadget->ep0, req, GFP_ATOMIC);
	if (err)
		ERROR(cdev, "sdp: ep0 queue failed (%d)\n", err);
	return err;
}

static int sdp_set_alt(struct usb_function *f, unsigned int intf,
		       unsigned int alt)
{
	struct f_sdp *sdp = func_to_sdp(f);
	struct usb_composite_dev *cdev = f->config->cdev;
	unsigned long flags;
	int err;

	if (alt)
		return -EINVAL;
	if (sdp->in_ep->enabled) {
		spin_lock_irqsave(&sdp->rom->lock, flags);
		sdp->online = 0;
		spin_unlock_irqrestore(&sdp->rom->lock, flags);
		usb_ep_disable(sdp->in_ep);
	}
	err = config_ep_by_speed(cdev->gadget, f, sdp->in_ep);
	if (err)
		return err;
	err = usb_ep_enable(sdp->in_ep);
	if (err)
		return err;
	spin_lock_irqsave(&sdp->rom->lock, flags);
	sdp->online = 1;
	spin_unlock_irqrestore(&sdp->rom->lock, flags);
	sdp_tx_kick(sdp);
	return 0;
}

static void sdp_disable(struct usb_function *f)
{
	struct f_sdp *sdp = func_to_sdp(f);
	struct sdp_rom *rom = sdp->rom;
	unsigned long flags;

	/* Reset or disconnect: replies the host never read are dropped. */
	spin_lock_irqsave(&rom->lock, flags);
	sdp->online = 0;
	rom->tx_hab = 0;
	rom->tx_status = 0;
	rom->rd_left = 0;
	/* An accepted JUMP boots the board even if report 3 never left. */
	if (rom->boot_pending) {
		rom->boot_pending = 0;
		schedule_delayed_work(&sdp->boot_work, 0);
	}
	spin_unlock_irqrestore(&rom->lock, flags);
	/* Completes a queued IN request with -ESHUTDOWN before returning. */
	usb_ep_disable(sdp->in_ep);
}

static int sdp_bind(struct usb_configuration *c, struct usb_function *f)
{
	struct usb_composite_dev *cdev = c->cdev;
	struct f_sdp *sdp = func_to_sdp(f);
	struct f_sdp_opts *opts = container_of(f->fi, struct f_sdp_opts,
					       func_inst);
	struct usb_ep *ep;
	int id, err;

	id = usb_interface_id(c, f);
	if (id < 0)
		return id;
	sdp->intf = id;
	sdp_intf_desc.bInterfaceNumber = id;

	ep = usb_ep_autoconfig(cdev->gadget, &sdp_fs_in_desc);
	if (!ep) {
		ERROR(cdev, "sdp: no interrupt IN endpoint available\n");
		return -ENODEV;
	}
	sdp->in_ep = ep;
	sdp_hs_in_desc.bEndpointAddress = sdp_fs_in_desc.bEndpointAddress;
	sdp_ss_in_desc.bEndpointAddress = sdp_fs_in_desc.bEndpointAddress;

	err = usb_assign_descriptors(f, sdp_fs_descs, sdp_hs_descs,
				     sdp_ss_descs, sdp_ss_descs);
	if (err)
		return err;

	sdp->in_req = usb_ep_alloc_request(ep, GFP_KERNEL);
	if (!sdp->in_req) {
		err = -ENOMEM;
		goto err_descs;
	}
	/* Heap buffer: UDCs DMA from it. */
	sdp->in_req->buf = kzalloc(SDP_IN_LEN, GFP_KERNEL);
	if (!sdp->in_req->buf) {
		err = -ENOMEM;
		goto err_req;
	}
	sdp->in_req->complete = sdp_in_complete;
	sdp->in_req->context = sdp;

	mutex_lock(&opts->lock);
	sdp->boot_delay_ms = opts->boot_delay_ms;
	sdp_rom_power_on(sdp->rom, opts->soc, opts->hab_closed,
			 opts->mem_limit, opts->uid);
	mutex_unlock(&opts->lock);
	return 0;

err_req:
	usb_ep_free_request(ep, sdp->in_req);
	sdp->in_req = NULL;
err_descs:
	usb_free_all_descriptors(f);
	return err;
}

static void sdp_unbind(struct usb_configuration *c, struct usb_function *f)
{
	struct f_sdp *sdp = func_to_sdp(f);

	cancel_delayed_work_sync(&sdp->boot_work);
	/* Balance the deactivation, or the UDC would stay off at rebind. */
	if (sdp->deactivated) {
		usb_function_activate(f);
		sdp->deactivated = 0;
	}
	sdp_rom_power_off(sdp->rom);
	kfree(sdp->in_req->buf);
	usb_ep_free_request(sdp->in_ep, sdp->in_req);
	sdp->in_req = NULL;
	usb_free_all_descriptors(f);
}

static void sdp_free_func(struct usb_function *f)
{
	struct f_sdp *sdp = func_to_sdp(f);
	struct f_sdp_opts *opts = container_of(f->fi, struct f_sdp_opts,
					       func_inst);

	mutex_lock(&opts->lock);
	opts->refcnt--;
	mutex_unlock(&opts->lock);
	kfree(sdp);
}

static struct usb_function *sdp_alloc_func(struct usb_function_instance *fi)
{
	struct f_sdp_opts *opts = container_of(fi, struct f_sdp_opts,
					       func_inst);
	struct f_sdp *sdp;

	sdp = kzalloc(sizeof(*sdp), GFP_KERNEL);
	if (!sdp)
		return ERR_PTR(-ENOMEM);

	mutex_lock(&opts->lock);
	opts->refcnt++;
	mutex_unlock(&opts->lock);

	sdp->rom = opts->rom;
	INIT_DELAYED_WORK(&sdp->boot_work, sdp_boot_work);
	sdp->func.name = "sdp";
	sdp->func.bind = sdp_bind;
	sdp->func.unbind = sdp_unbind;
	sdp->func.set_alt = sdp_set_alt;
	sdp->func.disable = sdp_disable;
	sdp->func.setup = sdp_setup;
	sdp->func.free_func = sdp_free_func;
	return &sdp->func;
}

/* configfs ---------------------------------------------------------------- */

static void sdp_attr_release(struct config_item *item)
{
	struct f_sdp_opts *opts = to_sdp_opts(item);

	usb_put_function_instance(&opts->func_inst);
}

static struct configfs_item_operations sdp_item_ops = {
	.release = sdp_attr_release,
};

static ssize_t f_sdp_opts_soc_show(struct config_item *item, char *page)
{
	struct f_sdp_opts *opts = to_sdp_opts(item);
	ssize_t ret;

	mutex_lock(&opts->lock);
	ret = sysfs_emit(page, "%s\n", sdp_socs[opts->soc].name);
	mutex_unlock(&opts->lock);
	return ret;
}

static ssize_t f_sdp_opts_soc_store(struct config_item *item,
				    const char *page, size_t len)
{
	struct f_sdp_opts *opts = to_sdp_opts(item);
	const struct sdp_soc *soc;
	char name[16];
	ssize_t ret = len;

	strscpy(name, page, sizeof(name));
	strim(name);
	soc = sdp_soc_by_name(name);
	if (!soc)
		return -EINVAL;
	mutex_lock(&opts->lock);
	if (opts->refcnt)
		ret = -EBUSY;
	else
		opts->soc = soc - sdp_socs;
	mutex_unlock(&opts->lock);
	return ret;
}

static ssize_t f_sdp_opts_hab_show(struct config_item *item, char *page)
{
	struct f_sdp_opts *opts = to_sdp_opts(item);

	return sysfs_emit(page, "%s\n", opts->hab_closed ? "closed" : "open");
}

static ssize_t f_sdp_opts_hab_store(struct config_item *item,
				    const char *page, size_t len)
{
	struct f_sdp_opts *opts = to_sdp_opts(item);
	ssize_t ret = len;
	int closed;

	if (sysfs_streq(page, "open"))
		closed = 0;
	else if (sysfs_streq(page, "closed"))
		closed = 1;
	else
		return -EINVAL;
	mutex_lock(&opts->lock);
	if (opts->refcnt)
		ret = -EBUSY;
	else
		opts->hab_closed = closed;
	mutex_unlock(&opts->lock);
	return ret;
}

static ssize_t f_sdp_opts_uid_show(struct config_item *item, char *page)
{
	struct f_sdp_opts *opts = to_sdp_opts(item);
	char text[SDP_UID_HEX_LEN + 1];

	mutex_lock(&opts->lock);
	sdp_uid_format(opts->uid, text);
	mutex_unlock(&opts->lock);
	return sysfs_emit(page, "%s\n", text);
}

static ssize_t f_sdp_opts_uid_store(struct config_item *item,
				    const char *page, size_t len)
{
	struct f_sdp_opts *opts = to_sdp_opts(item);
	ssize_t ret = len;
	u64 uid;

	if (sdp_uid_parse(page, len, &uid))
		return -EINVAL;
	mutex_lock(&opts->lock);
	if (opts->refcnt)
		ret = -EBUSY;
	else
		opts->uid = uid;
	mutex_unlock(&opts->lock);
	return ret;
}

static ssize_t f_sdp_opts_mem_limit_show(struct config_item *item, char *page)
{
	struct f_sdp_opts *opts = to_sdp_opts(item);

	return sysfs_emit(page, "%u\n", opts->mem_limit);
}

static ssize_t f_sdp_opts_mem_limit_store(struct config_item *item,
					  const char *page, size_t len)
{
	struct f_sdp_opts *opts = to_sdp_opts(item);
	unsigned long long val;
	char *end;
	ssize_t ret = len;

	val = memparse(page, &end);
	if (end == page || (*end && *end != '\n') || val < PAGE_SIZE ||
	    val > SZ_2G)
		return -EINVAL;
	mutex_lock(&opts->lock);
	if (opts->refcnt)
		ret = -EBUSY;
	else
		opts->mem_limit = val;
	mutex_unlock(&opts->lock);
	return ret;
}

static ssize_t f_sdp_opts_boot_delay_ms_show(struct config_item *item,
					     char *page)
{
	struct f_sdp_opts *opts = to_sdp_opts(item);

	return sysfs_emit(page, "%u\n", opts->boot_delay_ms);
}

static ssize_t f_sdp_opts_boot_delay_ms_store(struct config_item *item,
					      const char *page, size_t len)
{
	struct f_sdp_opts *opts = to_sdp_opts(item);
	ssize_t ret = len;
	u16 val;

	if (kstrtou16(page, 0, &val) || val > 60000)
		return -EINVAL;
	mutex_lock(&opts->lock);
	if (opts->refcnt)
		ret = -EBUSY;
	else
		opts->boot_delay_ms = val;
	mutex_unlock(&opts->lock);
	return ret;
}

static ssize_t f_sdp_opts_state_show(struct config_item *item, char *page)
{
	struct sdp_rom *rom = to_sdp_opts(item)->rom;
	u8 state;

	spin_lock_irq(&rom->lock);
	state = rom->state;
	spin_unlock_irq(&rom->lock);
	return sysfs_emit(page, "%s\n", sdp_state_name(state));
}

static ssize_t f_sdp_opts_jump_addr_show(struct config_item *item, char *page)
{
	struct sdp_rom *rom = to_sdp_opts(item)->rom;
	u32 addr;

	spin_lock_irq(&rom->lock);
	addr = rom->jump_addr;
	spin_unlock_irq(&rom->lock);
	return sysfs_emit(page, "0x%08x\n", addr);
}

static ssize_t f_sdp_opts_last_error_show(struct config_item *item,
					  char *page)
{
	struct sdp_rom *rom = to_sdp_opts(item)->rom;
	ssize_t ret;

	spin_lock_irq(&rom->lock);
	ret = sysfs_emit(page, "%s\n", rom->last_error);
	spin_unlock_irq(&rom->lock);
	return ret;
}

static ssize_t f_sdp_opts_stats_show(struct config_item *item, char *page)
{
	struct sdp_rom *rom = to_sdp_opts(item)->rom;
	struct sdp_stats st;
	u32 used, limit;
	char status[80];

	spin_lock_irq(&rom->lock);
	st = rom->stats;
	used = rom->mem.npages;
	limit = rom->mem.max_pages;
	sdp_status_format(status, sizeof(status), rom->err_status);
	spin_unlock_irq(&rom->lock);
	return sysfs_emit(page,
			  "commands %u\ndata_reports %u\nbytes_written %llu\n"
			  "dcd_runs %u\nplugins %u\njumps %u\nerrors %u\n"
			  "mem_used %llu\nmem_limit %llu\nerror_status %s\n",
			  st.commands, st.data_reports, st.bytes_written,
			  st.dcd_runs, st.plugins, st.jumps, st.errors,
			  (u64)used * PAGE_SIZE, (u64)limit * PAGE_SIZE,
			  status);
}

CONFIGFS_ATTR(f_sdp_opts_, soc);
CONFIGFS_ATTR(f_sdp_opts_, hab);
CONFIGFS_ATTR(f_sdp_opts_, uid);
CONFIGFS_ATTR(f_sdp_opts_, mem_limit);
CONFIGFS_ATTR(f_sdp_opts_, boot_delay_ms);
CONFIGFS_ATTR_RO(f_sdp_opts_, state);
CONFIGFS_ATTR_RO(f_sdp_opts_, jump_addr);
CONFIGFS_ATTR_RO(f_sdp_opts_, last_error);
CONFIGFS_ATTR_RO(f_sdp_opts_, stats);

static struct configfs_attribute *sdp_attrs[] = {
	&f_sdp_opts_attr_soc,
	&f_sdp_opts_attr_hab,
	&f_sdp_opts_attr_uid,
	&f_sdp_opts_attr_mem_limit,
	&f_sdp_opts_attr_boot_delay_ms,
	&f_sdp_opts_attr_state,
	&f_sdp_opts_attr_jump_addr,
	&f_sdp_opts_attr_last_error,
	&f_sdp_opts_attr_stats,
	NULL,
};

static const struct config_item_type sdp_func_type = {
	.ct_item_ops	= &sdp_item_ops,
	.ct_attrs	= sdp_attrs,
	.ct_owner	= THIS_MODULE,
};

static int sdp_set_inst_name(struct usb_function_instance *fi,
			     const char *name)
{
	struct f_sdp_opts *opts = container_of(fi, struct f_sdp_opts,
					       func_inst);

	opts->debugfs = sdp_debugfs_create(opts->rom, name);
	return 0;
}

static void sdp_free_inst(struct usb_function_instance *fi)
{
	struct f_sdp_opts *opts = container_of(fi, struct f_sdp_opts,
					       func_inst);

	sdp_debugfs_remove(opts->debugfs);
	sdp_rom_free(opts->rom);
	kfree(opts);
}

/*
 * Every board has its own ID, as chips do: random, with an instance
 * counter in the low 16 bits so that no two instances of this module's
 * life share one (configfs "uid" sets another).
 */
static u64 sdp_default_uid(void)
{
	static atomic_t sdp_inst_seq = ATOMIC_INIT(0);

	return (get_random_u64() & ~0xffffull) |
	       (atomic_inc_return(&sdp_inst_seq) & 0xffff);
}

static struct usb_function_instance *sdp_alloc_inst(void)
{
	struct f_sdp_opts *opts;

	opts = kzalloc(sizeof(*opts), GFP_KERNEL);
	if (!opts)
		return ERR_PTR(-ENOMEM);
	opts->rom = sdp_rom_alloc();
	if (!opts->rom) {
		kfree(opts);
		return ERR_PTR(-ENOMEM);
	}
	mutex_init(&opts->lock);
	opts->soc = SDP_SOC_MX6Q;
	opts->uid = sdp_default_uid();
	opts->mem_limit = SDP_DEFAULT_MEM_LIMIT;
	opts->boot_delay_ms = SDP_DEFAULT_BOOT_DELAY;
	opts->func_inst.set_inst_name = sdp_set_inst_name;
	opts->func_inst.free_func_inst = sdp_free_inst;
	config_group_init_type_name(&opts->func_inst.group, "",
				    &sdp_func_type);
	return &opts->func_inst;
}

DECLARE_USB_FUNCTION(sdp, sdp_alloc_inst, sdp_alloc_func);

static int __init sdp_mod_init(void)
{
	int err;

	sdp_debugfs_init();
	err = usb_function_register(&sdpusb_func);
	if (err)
		sdp_debugfs_exit();
	return err;
}
module_init(sdp_mod_init);

static void __exit sdp_mod_exit(void)
{
	usb_function_unregister(&sdpusb_func);
	sdp_debugfs_exit();
}
module_exit(sdp_mod_exit);

MODULE_DESCRIPTION("i.MX boot ROM serial download (SDP) emulator gadget function");
MODULE_AUTHOR("imxflash developers");
MODULE_LICENSE("GPL");
