// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot: USB gadget function speaking Android fastboot, so that
 * stock clients (fastboot, uuu) flash a Linux target: configfs function
 * "fastboot", one vendor interface FF/42/03 with a bulk IN and a bulk OUT
 * endpoint (Documentation/fastboot-protocol.rst, "USB interface").
 *
 * This file: module init, the configfs instance and its attributes,
 * descriptors, bind/unbind and the set_alt/disable callbacks. What the
 * other files hold: Documentation/usb-f-fastboot.rst, "Source files".
 *
 * configfs: functions/fastboot.<name>/ with
 *   max_download_size  bytes (4 KiB .. 1 GiB), default 256 MiB
 *   product            getvar:product
 *   version_bootloader getvar:version-bootloader
 *   locked             0/1: flash and erase refused while 1
 *   fetch              0/1: fetch reads back targets (default 1)
 *   oem_sha256         0/1: "oem sha256" answered here (default 1)
 *   storage            whole disk or image file (raw offsets, mbr, gpt),
 *                      resolved when written (f_fastboot_path.c)
 *   oem_timeout_ms     how long an oem handler may take, default 30000
 *   state              idle, command, download, upload, flash, erase,
 *                      oem, detached (read-only)
 *   last_error         text of the last FAIL (read-only)
 *   stats              counters and memory use (read-only)
 *   partitions/        explicit targets (f_fastboot_part.c)
 * Attribute writes fail with -EBUSY while the function is linked into a
 * configuration (as in the other gadget functions).
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/usb/composite.h>

#include "f_fastboot.h"
#include "f_fastboot_nl.h"

#define FASTBOOT_DEFAULT_MAX_DOWNLOAD	SZ_256M
#define FASTBOOT_MIN_DOWNLOAD		SZ_4K
#define FASTBOOT_MAX_DOWNLOAD		SZ_1G
#define FASTBOOT_DEFAULT_OEM_TIMEOUT	30000
#define FASTBOOT_MAX_OEM_TIMEOUT	3600000	/* one hour */

static const char * const fastboot_state_names[] = {
	[FASTBOOT_ST_IDLE] = "idle",
	[FASTBOOT_ST_COMMAND] = "command",
	[FASTBOOT_ST_DOWNLOAD] = "download",
	[FASTBOOT_ST_UPLOAD] = "upload",
	[FASTBOOT_ST_FLASH] = "flash",
	[FASTBOOT_ST_ERASE] = "erase",
	[FASTBOOT_ST_OEM] = "oem",
	[FASTBOOT_ST_DETACHED] = "detached",
	[FASTBOOT_ST_HASH] = "hash",
};

/* ---- descriptors ------------------------------------------------------ */

static struct usb_interface_descriptor fastboot_intf_desc = {
	.bLength		= USB_DT_INTERFACE_SIZE,
	.bDescriptorType	= USB_DT_INTERFACE,
	.bNumEndpoints		= 2,
	.bInterfaceClass	= USB_CLASS_VENDOR_SPEC,	/* 0xff */
	.bInterfaceSubClass	= 0x42,
	.bInterfaceProtocol	= 0x03,
};

static struct usb_endpoint_descriptor fastboot_fs_in_desc = {
	.bLength		= USB_DT_ENDPOINT_SIZE,
	.bDescriptorType	= USB_DT_ENDPOINT,
	.bEndpointAddress	= USB_DIR_IN,
	.bmAttributes		= USB_ENDPOINT_XFER_BULK,
	.wMaxPacketSize		= cpu_to_le16(64),
};

static struct usb_endpoint_descriptor fastboot_fs_out_desc = {
	.bLength		= USB_DT_ENDPOINT_SIZE,
	.bDescriptorType	= USB_DT_ENDPOINT,
	.bEndpointAddress	= USB_DIR_OUT,
	.bmAttributes		= USB_ENDPOINT_XFER_BULK,
	.wMaxPacketSize		= cpu_to_le16(64),
};

static struct usb_endpoint_descriptor fastboot_hs_in_desc = {
	.bLength		= USB_DT_ENDPOINT_SIZE,
	.bDescriptorType	= USB_DT_ENDPOINT,
	.bmAttributes		= USB_ENDPOINT_XFER_BULK,
	.wMaxPacketSize		= cpu_to_le16(512),
};

static struct usb_endpoint_descriptor fastboot_hs_out_desc = {
	.bLength		= USB_DT_ENDPOINT_SIZE,
	.bDescriptorType	= USB_DT_ENDPOINT,
	.bmAttributes		= USB_ENDPOINT_XFER_BULK,
	.wMaxPacketSize		= cpu_to_le16(512),
};

static struct usb_endpoint_descriptor fastboot_ss_in_desc = {
	.bLength		= USB_DT_ENDPOINT_SIZE,
	.bDescriptorType	= USB_DT_ENDPOINT,
	.bmAttributes		= USB_ENDPOINT_XFER_BULK,
	.wMaxPacketSize		= cpu_to_le16(1024),
};

static struct usb_endpoint_descriptor fastboot_ss_out_desc = {
	.bLength		= USB_DT_ENDPOINT_SIZE,
	.bDescriptorType	= USB_DT_ENDPOINT,
	.bmAttributes		= USB_ENDPOINT_XFER_BULK,
	.wMaxPacketSize		= cpu_to_le16(1024),
};

/* Bursts of 16 packets: the requests are up to 256 KiB. */
static struct usb_ss_ep_comp_descriptor fastboot_ss_comp_desc = {
	.bLength		= sizeof(fastboot_ss_comp_desc),
	.bDescriptorType	= USB_DT_SS_ENDPOINT_COMP,
	.bMaxBurst		= 15,
};

/*
 * IN before OUT: uuu takes the endpoint directions from the first
 * endpoint descriptor of the interface (fastboot-protocol.rst, "USB
 * interface").
 */
static struct usb_descriptor_header *fastboot_fs_descs[] = {
	(struct usb_descriptor_header *)&fastboot_intf_desc,
	(struct usb_descriptor_header *)&fastboot_fs_in_desc,
	(struct usb_descriptor_header *)&fastboot_fs_out_desc,
	NULL,
};

static struct usb_descriptor_header *fastboot_hs_descs[] = {
	(struct usb_descriptor_header *)&fastboot_intf_desc,
	(struct usb_descriptor_header *)&fastboot_hs_in_desc,
	(struct usb_descriptor_header *)&fastboot_hs_out_desc,
	NULL,
};

static struct usb_descriptor_header *fastboot_ss_descs[] = {
	(struct usb_descriptor_header *)&fastboot_intf_desc,
	(struct usb_descriptor_header *)&fastboot_ss_in_desc,
	(struct usb_descriptor_header *)&fastboot_ss_comp_desc,
	(struct usb_descriptor_header *)&fastboot_ss_out_desc,
	(struct usb_descriptor_header *)&fastboot_ss_comp_desc,
	NULL,
};

static struct usb_string fastboot_string_defs[] = {
	[0].s = "Android Fastboot",
	{ }
};

static struct usb_gadget_strings fastboot_string_table = {
	.language	= 0x0409,	/* en-us */
	.strings	= fastboot_string_defs,
};

static struct usb_gadget_strings *fastboot_strings[] = {
	&fastboot_string_table,
	NULL,
};

/* ---- events from atomic context ---------------------------------------- */

/* Queue a connect/disconnect event; sent by fastboot_evt_work(). */
static void fastboot_evt_push(struct f_fastboot *fb, u8 type)
{
	unsigned long flags;

	spin_lock_irqsave(&fb->lock, flags);
	if (fb->conn.evq_len < FASTBOOT_EVQ_LEN)
		fb->conn.evq[fb->conn.evq_len++] = type;
	spin_unlock_irqrestore(&fb->lock, flags);
	schedule_work(&fb->evt_work);
}

static void fastboot_evt_work(struct work_struct *work)
{
	struct f_fastboot *fb = container_of(work, struct f_fastboot,
					     evt_work);
	struct fastboot_nl_event ev = { .instance = fb->opts->name };
	unsigned long flags;
	u8 q[FASTBOOT_EVQ_LEN];
	u8 i, n;

	spin_lock_irqsave(&fb->lock, flags);
	n = fb->conn.evq_len;
	memcpy(q, fb->conn.evq, n);
	fb->conn.evq_len = 0;
	spin_unlock_irqrestore(&fb->lock, flags);
	for (i = 0; i < n; i++) {
		ev.type = q[i];
		fastboot_nl_notify(&ev);
	}
}

/* ---- function callbacks ------------------------------------------------ */

/*
 * The serial number of the gadget, as the host reads it: the string
 * whose id is the device descriptor's iSerialNumber, in the first
 * language that has it. configfs attaches the gadget strings before it
 * binds the functions, and they do not change while bound.
 */
static void fastboot_read_serial(struct fastboot_config *cfg,
				 struct usb_composite_dev *cdev)
{
	struct usb_gadget_string_container *uc;
	u8 id = cdev->desc.iSerialNumber;

	cfg->serial[0] = '\0';
	if (!id)
		return;
	list_for_each_entry(uc, &cdev->gstrings, list) {
		struct usb_gadget_strings **tab =
			(struct usb_gadget_strings **)uc->stash;

		for (; *tab; tab++) {
			struct usb_string *s;

			for (s = (*tab)->strings; s && s->s; s++) {
				if (s->id != id)
					continue;
				strscpy(cfg->serial, s->s, sizeof(cfg->serial));
				return;
			}
		}
	}
}

/* What the function reads while bound, copied once. */
static void fastboot_config_copy(struct fastboot_config *cfg,
				 struct fastboot_opts *opts,
				 struct usb_composite_dev *cdev)
{
	fastboot_read_serial(cfg, cdev);
	mutex_lock(&opts->lock);
	cfg->max_download = opts->max_download_size;
	cfg->oem_timeout_ms = opts->oem_timeout_ms;
	cfg->fetch = opts->fetch;
	cfg->oem_sha256 = opts->oem_sha256;
	strscpy(cfg->product, opts->product, sizeof(cfg->product));
	strscpy(cfg->version_bootloader, opts->version_bootloader,
		sizeof(cfg->version_bootloader));
	mutex_unlock(&opts->lock);
}

static int fastboot_bind(struct usb_configuration *c, struct usb_function *f)
{
	struct usb_composite_dev *cdev = c->cdev;
	struct f_fastboot *fb = fastboot_of(f);
	struct fastboot_opts *opts = fb->opts;
	struct usb_string *us;
	int id, err;

	id = usb_interface_id(c, f);
	if (id < 0)
		return id;
	fastboot_intf_desc.bInterfaceNumber = id;
	us = usb_gstrings_attach(cdev, fastboot_strings,
				 ARRAY_SIZE(fastboot_string_defs));
	if (IS_ERR(us))
		return PTR_ERR(us);
	fastboot_intf_desc.iInterface = us[0].id;

	fb->in_ep = usb_ep_autoconfig(cdev->gadget, &fastboot_fs_in_desc);
	fb->out_ep = usb_ep_autoconfig(cdev->gadget, &fastboot_fs_out_desc);
	if (!fb->in_ep || !fb->out_ep) {
		ERROR(cdev, "fastboot: no bulk endpoints available\n");
		return -ENODEV;
	}
	fastboot_hs_in_desc.bEndpointAddress =
		fastboot_fs_in_desc.bEndpointAddress;
	fastboot_ss_in_desc.bEndpointAddress =
		fastboot_fs_in_desc.bEndpointAddress;
	fastboot_hs_out_desc.bEndpointAddress =
		fastboot_fs_out_desc.bEndpointAddress;
	fastboot_ss_out_desc.bEndpointAddress =
		fastboot_fs_out_desc.bEndpointAddress;
	err = usb_assign_descriptors(f, fastboot_fs_descs, fastboot_hs_descs,
				     fastboot_ss_descs, fastboot_ss_descs);
	if (err)
		return err;

	err = fastboot_io_alloc(fb);
	if (err)
		goto err_descs;
	fb->wq = alloc_ordered_workqueue("fastboot-%s", 0, opts->name);
	if (!fb->wq) {
		err = -ENOMEM;
		goto err_io;
	}

	/* Runtime state starts afresh at every bind. */
	memset(&fb->conn, 0, sizeof(fb->conn));
	fb->deactivated = false;
	fb->active_slot = 0;
	fastboot_config_copy(&fb->cfg, opts, cdev);
	fastboot_set_state(opts, FASTBOOT_ST_IDLE);
	return 0;

err_io:
	fastboot_io_free(fb);
err_descs:
	usb_free_all_descriptors(f);
	return err;
}

/* Stop queueing on the current connection; endpoints give requests back. */
static bool fastboot_go_offline(struct f_fastboot *fb, bool unbinding)
{
	unsigned long flags;
	bool was_online;

	spin_lock_irqsave(&fb->qlock, flags);
	spin_lock(&fb->lock);
	was_online = fb->conn.online;
	fb->conn.online = 0;
	fb->conn.gen++;
	if (unbinding)
		fb->conn.unbinding = 1;
	spin_unlock(&fb->lock);
	spin_unlock_irqrestore(&fb->qlock, flags);

	/* An oem command waiting for its handler returns at once. */
	fastboot_nl_oem_cancel(fb->opts->name);
	/* Completes every queued request with -ESHUTDOWN before returning. */
	usb_ep_disable(fb->in_ep);
	usb_ep_disable(fb->out_ep);
	wake_up(&fb->wait);
	return was_online;
}

static void fastboot_disable(struct usb_function *f)
{
	struct f_fastboot *fb = fastboot_of(f);

	if (fastboot_go_offline(fb, false))
		fastboot_evt_push(fb, FASTBOOT_EVENT_DISCONNECT);
}

static int fastboot_set_alt(struct usb_function *f, unsigned int intf,
			    unsigned int alt)
{
	struct f_fastboot *fb = fastboot_of(f);
	struct usb_gadget *gadget = f->config->cdev->gadget;
	unsigned long flags;
	int err;

	if (alt)
		return -EINVAL;
	/* A new configuration aborts whatever the old one was doing. */
	if (fb->in_ep->enabled || fb->out_ep->enabled)
		fastboot_go_offline(fb, false);

	err = config_ep_by_speed(gadget, f, fb->in_ep);
	if (!err)
		err = config_ep_by_speed(gadget, f, fb->out_ep);
	if (!err)
		err = usb_ep_enable(fb->in_ep);
	if (!err) {
		err = usb_ep_enable(fb->out_ep);
		if (err)
			usb_ep_disable(fb->in_ep);
	}
	if (err)
		return err;

	spin_lock_irqsave(&fb->qlock, flags);
	spin_lock(&fb->lock);
	fb->conn.maxpacket = usb_endpoint_maxp(fb->out_ep->desc);
	fb->conn.online = 1;
	fb->conn.gen++;
	spin_unlock(&fb->lock);
	fastboot_io_arm_locked(fb);
	spin_unlock_irqrestore(&fb->qlock, flags);
	fastboot_evt_push(fb, FASTBOOT_EVENT_CONNECT);
	return 0;
}

static void fastboot_unbind(struct usb_configuration *c, struct usb_function *f)
{
	struct f_fastboot *fb = fastboot_of(f);

	fastboot_go_offline(fb, true);
	/* Ends the command being handled: it sees the connection gone. */
	destroy_workqueue(fb->wq);
	fb->wq = NULL;
	cancel_delayed_work_sync(&fb->detach_work);
	flush_work(&fb->evt_work);
	/* Balance the deactivation, or the UDC would stay off at rebind. */
	if (fb->deactivated) {
		usb_function_activate(f);
		fb->deactivated = false;
	}
	fastboot_buf_free(fb->opts, &fb->dl);
	fastboot_io_free(fb);
	usb_free_all_descriptors(f);
	fastboot_set_state(fb->opts, FASTBOOT_ST_IDLE);
}

static void fastboot_free_func(struct usb_function *f)
{
	struct f_fastboot *fb = fastboot_of(f);
	struct fastboot_opts *opts = fb->opts;

	mutex_lock(&opts->lock);
	opts->refcnt--;
	mutex_unlock(&opts->lock);
	kfree(fb);
	fastboot_mem_account(opts, -(long)kmalloc_size_roundup(sizeof(*fb)));
}

static struct usb_function *
fastboot_alloc_func(struct usb_function_instance *fi)
{
	struct fastboot_opts *opts = fastboot_opts_of(fi);
	struct f_fastboot *fb;

	fb = kzalloc(sizeof(*fb), GFP_KERNEL);
	if (!fb)
		return ERR_PTR(-ENOMEM);
	fastboot_mem_account(opts, kmalloc_size_roundup(sizeof(*fb)));

	mutex_lock(&opts->lock);
	opts->refcnt++;
	mutex_unlock(&opts->lock);

	fb->opts = opts;
	spin_lock_init(&fb->qlock);
	spin_lock_init(&fb->lock);
	init_waitqueue_head(&fb->wait);
	INIT_WORK(&fb->cmd_work, fastboot_cmd_work);
	INIT_WORK(&fb->evt_work, fastboot_evt_work);
	INIT_DELAYED_WORK(&fb->detach_work, fastboot_detach_work);

	fb->func.name = "fastboot";
	fb->func.bind = fastboot_bind;
	fb->func.unbind = fastboot_unbind;
	fb->func.set_alt = fastboot_set_alt;
	fb->func.disable = fastboot_disable;
	fb->func.free_func = fastboot_free_func;
	return &fb->func;
}

/* ---- configfs ------------------------------------------------------------ */

static inline struct fastboot_opts *to_fastboot_opts(struct config_item *item)
{
	return container_of(to_config_group(item), struct fastboot_opts,
			    func_inst.group);
}

static void fastboot_attr_release(struct config_item *item)
{
	usb_put_function_instance(&to_fastboot_opts(item)->func_inst);
}

static struct configfs_item_operations fastboot_item_ops = {
	.release	= fastboot_attr_release,
};

/* Store @val into @dst unless bound. */
static ssize_t fastboot_store_u32(struct config_item *item, u32 *dst, u32 val,
				  size_t len)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	ssize_t ret = len;

	mutex_lock(&opts->lock);
	if (opts->refcnt)
		ret = -EBUSY;
	else
		*dst = val;
	mutex_unlock(&opts->lock);
	return ret;
}

static ssize_t f_fastboot_opts_max_download_size_show(struct config_item *item,
						      char *page)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	ssize_t ret;

	mutex_lock(&opts->lock);
	ret = sysfs_emit(page, "%u\n", opts->max_download_size);
	mutex_unlock(&opts->lock);
	return ret;
}

/* Bytes; K/M/G suffixes accepted (memparse). */
static ssize_t f_fastboot_opts_max_download_size_store(struct config_item *item,
						       const char *page,
						       size_t len)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	unsigned long long val;
	ssize_t ret;
	char *end;
	u64 limit;

	val = memparse(page, &end);
	if (end == page || (*end && *end != '\n') ||
	    val < FASTBOOT_MIN_DOWNLOAD || val > FASTBOOT_MAX_DOWNLOAD)
		return -EINVAL;
	ret = fastboot_store_u32(item, &opts->max_download_size, val, len);
	/*
	 * Accepted (a board may get more memory, the same configuration may
	 * serve several), but a download that large will fail with "out of
	 * memory": the integrator learns it here, and from stats.
	 */
	limit = fastboot_buf_mem_limit();
	if (ret > 0 && val > limit)
		pr_warn("%s: max_download_size %llu is more than the %llu MiB of memory a download buffer can use: such downloads will FAIL out of memory\n",
			config_item_name(item), val, limit >> 20);
	return ret;
}

static ssize_t f_fastboot_opts_oem_timeout_ms_show(struct config_item *item,
						   char *page)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	ssize_t ret;

	mutex_lock(&opts->lock);
	ret = sysfs_emit(page, "%u\n", opts->oem_timeout_ms);
	mutex_unlock(&opts->lock);
	return ret;
}

static ssize_t f_fastboot_opts_oem_timeout_ms_store(struct config_item *item,
						    const char *page,
						    size_t len)
{
	u32 val;

	if (kstrtou32(page, 0, &val) || !val || val > FASTBOOT_MAX_OEM_TIMEOUT)
		return -EINVAL;
	return fastboot_store_u32(item, &to_fastboot_opts(item)->oem_timeout_ms,
				  val, len);
}

static ssize_t f_fastboot_opts_locked_show(struct config_item *item,
					   char *page)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	ssize_t ret;

	mutex_lock(&opts->lock);
	ret = sysfs_emit(page, "%d\n", opts->locked);
	mutex_unlock(&opts->lock);
	return ret;
}

static ssize_t f_fastboot_opts_locked_store(struct config_item *item,
					    const char *page, size_t len)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	ssize_t ret = len;
	bool val;

	if (kstrtobool(page, &val))
		return -EINVAL;
	mutex_lock(&opts->lock);
	if (opts->refcnt)
		ret = -EBUSY;
	else
		opts->locked = val;
	mutex_unlock(&opts->lock);
	return ret;
}

static ssize_t fastboot_show_bool(struct config_item *item, bool *src,
				  char *page)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	ssize_t ret;

	mutex_lock(&opts->lock);
	ret = sysfs_emit(page, "%d\n", *src);
	mutex_unlock(&opts->lock);
	return ret;
}

/* A 0/1 setting that is copied at bind: refused while bound. */
static ssize_t fastboot_store_bool(struct config_item *item, bool *dst,
				   const char *page, size_t len)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	ssize_t ret = len;
	bool val;

	if (kstrtobool(page, &val))
		return -EINVAL;
	mutex_lock(&opts->lock);
	if (opts->refcnt)
		ret = -EBUSY;
	else
		*dst = val;
	mutex_unlock(&opts->lock);
	return ret;
}

static ssize_t f_fastboot_opts_fetch_show(struct config_item *item,
					  char *page)
{
	return fastboot_show_bool(item, &to_fastboot_opts(item)->fetch, page);
}

static ssize_t f_fastboot_opts_fetch_store(struct config_item *item,
					   const char *page, size_t len)
{
	return fastboot_store_bool(item, &to_fastboot_opts(item)->fetch, page,
				   len);
}

static ssize_t f_fastboot_opts_oem_sha256_show(struct config_item *item,
					       char *page)
{
	return fastboot_show_bool(item, &to_fastboot_opts(item)->oem_sha256,
				  page);
}

static ssize_t f_fastboot_opts_oem_sha256_store(struct config_item *item,
						const char *page, size_t len)
{
	return fastboot_store_bool(item, &to_fastboot_opts(item)->oem_sha256,
				   page, len);
}

/*
 * A text attribute: one line of printable ASCII (it ends up in
 * responses), at most @size - 1 characters; a trailing newline is dropped.
 */
static ssize_t fastboot_store_text(struct config_item *item, char *dst,
				   size_t size, const char *page, size_t len)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	size_t n = len, i;
	ssize_t ret = len;

	if (n && page[n - 1] == '\n')
		n--;
	if (n >= size)
		return -ENAMETOOLONG;
	for (i = 0; i < n; i++)
		if (page[i] < ' ' || page[i] > '~')
			return -EINVAL;
	mutex_lock(&opts->lock);
	if (opts->refcnt) {
		ret = -EBUSY;
	} else {
		memcpy(dst, page, n);
		dst[n] = '\0';
	}
	mutex_unlock(&opts->lock);
	return ret;
}

static ssize_t fastboot_show_text(struct config_item *item, const char *src,
				  char *page)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	ssize_t ret;

	mutex_lock(&opts->lock);
	ret = sysfs_emit(page, "%s\n", src);
	mutex_unlock(&opts->lock);
	return ret;
}

static ssize_t f_fastboot_opts_product_show(struct config_item *item,
					    char *page)
{
	return fastboot_show_text(item, to_fastboot_opts(item)->product, page);
}

static ssize_t f_fastboot_opts_product_store(struct config_item *item,
					     const char *page, size_t len)
{
	return fastboot_store_text(item, to_fastboot_opts(item)->product,
				   FASTBOOT_STR_LEN, page, len);
}

static ssize_t f_fastboot_opts_version_bootloader_show(struct config_item *item,
						       char *page)
{
	return fastboot_show_text(item,
				  to_fastboot_opts(item)->version_bootloader,
				  page);
}

static ssize_t
f_fastboot_opts_version_bootloader_store(struct config_item *item,
					 const char *page, size_t len)
{
	return fastboot_store_text(item,
				   to_fastboot_opts(item)->version_bootloader,
				   FASTBOOT_STR_LEN, page, len);
}

static ssize_t f_fastboot_opts_storage_show(struct config_item *item,
					    char *page)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	ssize_t ret;

	mutex_lock(&opts->lock);
	ret = sysfs_emit(page, "%s\n", opts->storage.name ?: "");
	mutex_unlock(&opts->lock);
	return ret;
}

/*
 * A path, resolved here in the writer's context (not under the lock: a
 * lookup may wait on a slow filesystem); "" lets the old one go.
 */
static ssize_t f_fastboot_opts_storage_store(struct config_item *item,
					     const char *page, size_t len)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	struct fastboot_path path;
	ssize_t ret = len;
	int err;

	err = fastboot_path_resolve(&path, page, len, opts->name, NULL);
	if (err)
		return err;
	mutex_lock(&opts->lock);
	if (opts->refcnt)
		ret = -EBUSY;
	else
		swap(opts->storage, path);
	mutex_unlock(&opts->lock);
	fastboot_path_release(&path);
	return ret;
}

static ssize_t f_fastboot_opts_state_show(struct config_item *item,
					  char *page)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	unsigned long flags;
	u8 state;

	spin_lock_irqsave(&opts->stat_lock, flags);
	state = opts->state;
	spin_unlock_irqrestore(&opts->stat_lock, flags);
	return sysfs_emit(page, "%s\n", fastboot_state_names[state]);
}

static ssize_t f_fastboot_opts_last_error_show(struct config_item *item,
					       char *page)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	char text[FASTBOOT_ERR_LEN];
	unsigned long flags;

	spin_lock_irqsave(&opts->stat_lock, flags);
	strscpy(text, opts->last_error, sizeof(text));
	spin_unlock_irqrestore(&opts->stat_lock, flags);
	return sysfs_emit(page, "%s\n", text);
}

static ssize_t f_fastboot_opts_stats_show(struct config_item *item,
					  char *page)
{
	struct fastboot_opts *opts = to_fastboot_opts(item);
	struct fastboot_stats st;
	unsigned long flags;
	bool over;

	mutex_lock(&opts->lock);
	over = opts->max_download_size > fastboot_buf_mem_limit();
	mutex_unlock(&opts->lock);
	spin_lock_irqsave(&opts->stat_lock, flags);
	st = opts->stats;
	spin_unlock_irqrestore(&opts->stat_lock, flags);
	return sysfs_emit(page,
			  "downloads %llu\ndownload_bytes %llu\nflashes %llu\n"
			  "flash_bytes %llu\nerases %llu\nfails %llu\n"
			  "mem_bytes %llu\nmem_high_water %llu\n"
			  "max_download_over_mem %u\n",
			  st.downloads, st.download_bytes, st.flashes,
			  st.flash_bytes, st.erases, st.fails, st.mem_bytes,
			  st.mem_high_water, over);
}

CONFIGFS_ATTR(f_fastboot_opts_, max_download_size);
CONFIGFS_ATTR(f_fastboot_opts_, oem_timeout_ms);
CONFIGFS_ATTR(f_fastboot_opts_, locked);
CONFIGFS_ATTR(f_fastboot_opts_, fetch);
CONFIGFS_ATTR(f_fastboot_opts_, oem_sha256);
CONFIGFS_ATTR(f_fastboot_opts_, product);
CONFIGFS_ATTR(f_fastboot_opts_, version_bootloader);
CONFIGFS_ATTR(f_fastboot_opts_, storage);
CONFIGFS_ATTR_RO(f_fastboot_opts_, state);
CONFIGFS_ATTR_RO(f_fastboot_opts_, last_error);
CONFIGFS_ATTR_RO(f_fastboot_opts_, stats);

static struct configfs_attribute *fastboot_attrs[] = {
	&f_fastboot_opts_attr_max_download_size,
	&f_fastboot_opts_attr_oem_timeout_ms,
	&f_fastboot_opts_attr_locked,
	&f_fastboot_opts_attr_fetch,
	&f_fastboot_opts_attr_oem_sha256,
	&f_fastboot_opts_attr_product,
	&f_fastboot_opts_attr_version_bootloader,
	&f_fastboot_opts_attr_storage,
	&f_fastboot_opts_attr_state,
	&f_fastboot_opts_attr_last_error,
	&f_fastboot_opts_attr_stats,
	NULL,
};

static const struct config_item_type fastboot_func_type = {
	.ct_item_ops	= &fastboot_item_ops,
	.ct_attrs	= fastboot_attrs,
	.ct_owner	= THIS_MODULE,
};

static int fastboot_set_inst_name(struct usb_function_instance *fi,
				  const char *name)
{
	if (strlen(name) >= FASTBOOT_NAME_LEN)
		return -ENAMETOOLONG;
	strscpy(fastboot_opts_of(fi)->name, name, FASTBOOT_NAME_LEN);
	return 0;
}

static void fastboot_free_inst(struct usb_function_instance *fi)
{
	struct fastboot_opts *opts = fastboot_opts_of(fi);

	fastboot_path_release(&opts->storage);
	kfree(opts);
}

static struct usb_function_instance *fastboot_alloc_inst(void)
{
	struct fastboot_opts *opts;

	opts = kzalloc(sizeof(*opts), GFP_KERNEL);
	if (!opts)
		return ERR_PTR(-ENOMEM);
	mutex_init(&opts->lock);
	spin_lock_init(&opts->stat_lock);
	INIT_LIST_HEAD(&opts->parts);
	opts->max_download_size = FASTBOOT_DEFAULT_MAX_DOWNLOAD;
	opts->oem_timeout_ms = FASTBOOT_DEFAULT_OEM_TIMEOUT;
	opts->fetch = true;
	opts->oem_sha256 = true;
	opts->state = FASTBOOT_ST_IDLE;
	opts->func_inst.set_inst_name = fastboot_set_inst_name;
	opts->func_inst.free_func_inst = fastboot_free_inst;
	config_group_init_type_name(&opts->func_inst.group, "",
				    &fastboot_func_type);
	fastboot_parts_init(opts);
	return &opts->func_inst;
}

DECLARE_USB_FUNCTION(fastboot, fastboot_alloc_inst, fastboot_alloc_func);

static int __init fastboot_mod_init(void)
{
	int err;

	err = fastboot_nl_init();
	if (err)
		return err;
	err = usb_function_register(&fastbootusb_func);
	if (err)
		fastboot_nl_exit();
	return err;
}
module_init(fastboot_mod_init);

static void __exit fastboot_mod_exit(void)
{
	usb_function_unregister(&fastbootusb_func);
	fastboot_nl_exit();
}
module_exit(fastboot_mod_exit);

MODULE_DESCRIPTION("Android fastboot USB gadget function");
MODULE_AUTHOR("imxflash developers");
MODULE_LICENSE("GPL");
