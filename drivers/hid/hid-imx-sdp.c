// SPDX-License-Identifier: GPL-2.0
/*
 * hid-imx-sdp: HID driver for the serial downloader (SDP) of NXP i.MX boot
 * ROMs. Each board in serial download mode gets a character device,
 * /dev/imx-sdpN, that runs one SDP command per ioctl (uapi
 * <linux/imx_sdp.h>), plus sysfs attributes that say which board it is
 * and what it is doing.
 *
 * This file: the HID driver (id table, probe/remove, the input report
 * path), the class and its sysfs attributes, and module init.
 *
 * The ROM takes reports 1 (command) and 2 (data) as SET_REPORT on ep0 and
 * answers with reports 3 (HAB state) and 4 (status or data) on its
 * interrupt IN endpoint. Input reports arrive in raw_event() and are
 * queued for the command thread; hidraw stays connected so that
 * userspace loaders keep working.
 */

#include <linux/idr.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include <linux/imx_sdp.h>

#include "hid-imx-sdp.h"

#define IMX_SDP_VID_FSL		0x15a2
#define IMX_SDP_VID_NXP		0x1fc9

static dev_t imx_sdp_devt;
static DEFINE_IDA(imx_sdp_ida);

/* sysfs ------------------------------------------------------------------ */

static ssize_t soc_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct imx_sdp *sdp = to_imx_sdp(dev);

	return sysfs_emit(buf, "%s\n", sdp->soc ? sdp->soc->name : "unknown");
}
static DEVICE_ATTR_RO(soc);

static const char *imx_sdp_hab_name(u32 hab)
{
	switch (hab) {
	case IMX_SDP_HAB_OPEN:
		return "open";
	case IMX_SDP_HAB_CLOSED:
		return "closed";
	default:
		return "unknown";
	}
}

static ssize_t hab_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  imx_sdp_hab_name(READ_ONCE(to_imx_sdp(dev)->hab)));
}
static DEVICE_ATTR_RO(hab);

static ssize_t uid_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct imx_sdp *sdp = to_imx_sdp(dev);
	char text[SDP_UID_HEX_LEN + 1];

	if (!sdp->has_uid)
		return sysfs_emit(buf, "unknown\n");
	sdp_uid_format(sdp->uid, text);
	return sysfs_emit(buf, "%s\n", text);
}
static DEVICE_ATTR_RO(uid);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct imx_sdp *sdp = to_imx_sdp(dev);

	if (imx_sdp_gone(sdp))
		return sysfs_emit(buf, "gone\n");
	return sysfs_emit(buf, "%s\n", READ_ONCE(sdp->busy) ? "busy" : "idle");
}
static DEVICE_ATTR_RO(state);

static ssize_t progress_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct imx_sdp *sdp = to_imx_sdp(dev);

	return sysfs_emit(buf, "%u %u\n", (u32)atomic_read(&sdp->done),
			  READ_ONCE(sdp->total));
}
static DEVICE_ATTR_RO(progress);

static ssize_t port_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", to_imx_sdp(dev)->port);
}
static DEVICE_ATTR_RO(port);

static ssize_t last_error_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct imx_sdp *sdp = to_imx_sdp(dev);
	ssize_t ret;

	spin_lock_irq(&sdp->lock);
	ret = sysfs_emit(buf, "%s\n", sdp->last_error);
	spin_unlock_irq(&sdp->lock);
	return ret;
}
static DEVICE_ATTR_RO(last_error);

static struct attribute *imx_sdp_attrs[] = {
	&dev_attr_soc.attr,
	&dev_attr_hab.attr,
	&dev_attr_uid.attr,
	&dev_attr_state.attr,
	&dev_attr_progress.attr,
	&dev_attr_port.attr,
	&dev_attr_last_error.attr,
	NULL
};
ATTRIBUTE_GROUPS(imx_sdp);

/*
 * A static class registered with class_register() builds unchanged
 * against 6.1 and 6.4+, where class_create() lost its owner argument.
 */
static struct class imx_sdp_class = {
	.name		= "imx_sdp",
	.dev_groups	= imx_sdp_groups,
};

/* HID driver ------------------------------------------------------------- */

/*
 * Input reports, in URB completion (atomic) context. Reports 3 and 4 are
 * copied into the ring for the command thread; anything else is not a
 * reply. hidraw gets every report too (return 0).
 */
static int imx_sdp_raw_event(struct hid_device *hdev, struct hid_report *report,
			     u8 *data, int size)
{
	struct imx_sdp *sdp = hid_get_drvdata(hdev);
	struct imx_sdp_report *rep;
	unsigned long flags;

	if (!sdp || size < 1 ||
	    (data[0] != SDP_REPORT_HAB && data[0] != SDP_REPORT_STATUS))
		return 0;

	spin_lock_irqsave(&sdp->lock, flags);
	if (sdp->rx_head - sdp->rx_tail >= IMX_SDP_RX_LEN) {
		WRITE_ONCE(sdp->rx_overflow, true);
	} else {
		rep = &sdp->rx[sdp->rx_head % IMX_SDP_RX_LEN];
		/* Longer than the descriptor allows: keep what we can use. */
		rep->len = min_t(int, size, IMX_SDP_IN_MAX);
		memcpy(rep->data, data, rep->len);
		WRITE_ONCE(sdp->rx_head, sdp->rx_head + 1);
	}
	spin_unlock_irqrestore(&sdp->lock, flags);
	wake_up(&sdp->wait);
	return 0;
}

static void imx_sdp_release(struct device *dev)
{
	struct imx_sdp *sdp = to_imx_sdp(dev);

	ida_free(&imx_sdp_ida, MINOR(dev->devt));
	mutex_destroy(&sdp->io_lock);
	kfree(sdp->rx);
	kfree(sdp);
}

static void imx_sdp_init_usb(struct imx_sdp *sdp, struct hid_device *hdev)
{
	struct usb_device *udev;

	if (!hid_is_usb(hdev))
		return;
	sdp->intf = to_usb_interface(hdev->dev.parent);
	udev = interface_to_usbdev(sdp->intf);
	/* "1-1.2": the name of the usb_device, i.e. bus and port path. */
	strscpy(sdp->port, dev_name(&udev->dev), sizeof(sdp->port));
}

static int imx_sdp_probe(struct hid_device *hdev, const struct hid_device_id *id)
{
	char uid[SDP_UID_HEX_LEN + 1] = "unknown";
	struct imx_sdp *sdp;
	int minor, ret;

	/* Nothing to fetch at start: the ROM does not answer GET_REPORT. */
	hdev->quirks |= HID_QUIRK_NO_INIT_REPORTS;

	ret = hid_parse(hdev);
	if (ret)
		return ret;

	sdp = kzalloc(sizeof(*sdp), GFP_KERNEL);
	if (!sdp)
		return -ENOMEM;
	sdp->rx = kcalloc(IMX_SDP_RX_LEN, sizeof(*sdp->rx), GFP_KERNEL);
	if (!sdp->rx) {
		ret = -ENOMEM;
		goto err_free;
	}
	minor = ida_alloc_max(&imx_sdp_ida, IMX_SDP_MINORS - 1, GFP_KERNEL);
	if (minor < 0) {
		ret = minor;
		goto err_free;
	}
	mutex_init(&sdp->io_lock);
	spin_lock_init(&sdp->lock);
	init_waitqueue_head(&sdp->wait);
	init_usb_anchor(&sdp->anchor);
	sdp->hdev = hdev;
	sdp->vendor = hdev->vendor;
	sdp->product = hdev->product;
	sdp->soc = sdp_soc_by_usb_id(hdev->vendor, hdev->product);
	imx_sdp_init_usb(sdp, hdev);

	/* From here on put_device() frees @sdp and the minor. */
	device_initialize(&sdp->dev);
	sdp->dev.class = &imx_sdp_class;
	sdp->dev.parent = &hdev->dev;
	sdp->dev.devt = MKDEV(MAJOR(imx_sdp_devt), minor);
	sdp->dev.release = imx_sdp_release;
	ret = dev_set_name(&sdp->dev, "imx-sdp%d", minor);
	if (ret)
		goto err_put;
	cdev_init(&sdp->cdev, &imx_sdp_fops);
	sdp->cdev.owner = THIS_MODULE;

	/* Only used while bound: remove() waits for the last command. */
	sdp->cmd_buf = devm_kmalloc(&hdev->dev, 1 + SDP_CMD_LEN, GFP_KERNEL);
	if (!sdp->cmd_buf) {
		ret = -ENOMEM;
		goto err_put;
	}

	hid_set_drvdata(hdev, sdp);
	/* hidraw comes after the identification: nobody talks in between. */
	ret = hid_hw_start(hdev, 0);
	if (ret) {
		hid_err(hdev, "hw start failed: %d\n", ret);
		goto err_put;
	}
	/* Keeps the interrupt IN endpoint polled without a hidraw reader. */
	ret = hid_hw_open(hdev);
	if (ret) {
		hid_err(hdev, "hw open failed: %d\n", ret);
		goto err_stop;
	}
	/* The identification and then any command need the replies. */
	hid_device_io_start(hdev);
	imx_sdp_identify(sdp);

	ret = hid_connect(hdev, HID_CONNECT_HIDRAW);
	if (ret) {
		hid_err(hdev, "hidraw connect failed: %d\n", ret);
		goto err_io;
	}
	ret = cdev_device_add(&sdp->cdev, &sdp->dev);
	if (ret) {
		hid_err(hdev, "cannot add %s: %d\n", dev_name(&sdp->dev), ret);
		goto err_io;
	}
	if (sdp->has_uid)
		sdp_uid_format(sdp->uid, uid);
	hid_info(hdev, "%s boot ROM (serial download) on %s: /dev/%s, HAB %s, UID %s\n",
		 sdp->soc ? sdp->soc->desc : "i.MX",
		 sdp->port[0] ? sdp->port : hdev->phys, dev_name(&sdp->dev),
		 imx_sdp_hab_name(sdp->hab), uid);
	return 0;

err_io:
	hid_device_io_stop(hdev);
	hid_hw_close(hdev);
err_stop:
	hid_hw_stop(hdev);
err_put:
	hid_set_drvdata(hdev, NULL);
	put_device(&sdp->dev);
	return ret;
err_free:
	kfree(sdp->rx);
	kfree(sdp);
	return ret;
}

/*
 * Unplug or unbind: every waiter is woken and fails with -ENODEV, the
 * node goes away, the data URBs in flight are killed, and once the
 * running command has let go of io_lock the HID device is closed. Open
 * files keep @sdp until they are closed.
 */
static void imx_sdp_remove(struct hid_device *hdev)
{
	struct imx_sdp *sdp = hid_get_drvdata(hdev);

	spin_lock_irq(&sdp->lock);
	WRITE_ONCE(sdp->gone, true);
	spin_unlock_irq(&sdp->lock);
	wake_up_all(&sdp->wait);

	cdev_device_del(&sdp->cdev, &sdp->dev);
	/* Also makes a racing usb_submit_urb() of a data report fail. */
	usb_poison_anchored_urbs(&sdp->anchor);

	mutex_lock(&sdp->io_lock);
	sdp->hdev = NULL;
	sdp->intf = NULL;
	mutex_unlock(&sdp->io_lock);

	hid_hw_close(hdev);
	hid_hw_stop(hdev);
	put_device(&sdp->dev);
}

/*
 * Every ROM that speaks SDP over HID (Documentation/sdp-protocol.rst, "ROM
 * USB IDs"). The SDPS-only ROMs (i.MX8MN/8MP/8ULP/9x) take no commands
 * and are not listed.
 */
static const struct hid_device_id imx_sdp_devices[] = {
	{ HID_USB_DEVICE(IMX_SDP_VID_FSL, 0x0054) },	/* i.MX6Q/D */
	{ HID_USB_DEVICE(IMX_SDP_VID_FSL, 0x0061) },	/* i.MX6DL/S */
	{ HID_USB_DEVICE(IMX_SDP_VID_FSL, 0x0063) },	/* i.MX6SL */
	{ HID_USB_DEVICE(IMX_SDP_VID_FSL, 0x0071) },	/* i.MX6SX */
	{ HID_USB_DEVICE(IMX_SDP_VID_FSL, 0x007d) },	/* i.MX6UL */
	{ HID_USB_DEVICE(IMX_SDP_VID_FSL, 0x0080) },	/* i.MX6ULL */
	{ HID_USB_DEVICE(IMX_SDP_VID_NXP, 0x0128) },	/* i.MX6SLL */
	{ HID_USB_DEVICE(IMX_SDP_VID_FSL, 0x0076) },	/* i.MX7D/S */
	{ HID_USB_DEVICE(IMX_SDP_VID_NXP, 0x0126) },	/* i.MX7ULP */
	{ HID_USB_DEVICE(IMX_SDP_VID_NXP, 0x012b) },	/* i.MX8MQ */
	{ HID_USB_DEVICE(IMX_SDP_VID_NXP, 0x0134) },	/* i.MX8MM */
	{ }
};
MODULE_DEVICE_TABLE(hid, imx_sdp_devices);

static struct hid_driver imx_sdp_driver = {
	.name		= "hid-imx-sdp",
	.id_table	= imx_sdp_devices,
	.probe		= imx_sdp_probe,
	.remove		= imx_sdp_remove,
	.raw_event	= imx_sdp_raw_event,
};

static int __init imx_sdp_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&imx_sdp_devt, 0, IMX_SDP_MINORS, "imx_sdp");
	if (ret)
		return ret;
	ret = class_register(&imx_sdp_class);
	if (ret)
		goto err_region;
	/* Boards already held by hid-generic are re-probed and move here. */
	ret = hid_register_driver(&imx_sdp_driver);
	if (ret)
		goto err_class;
	return 0;

err_class:
	class_unregister(&imx_sdp_class);
err_region:
	unregister_chrdev_region(imx_sdp_devt, IMX_SDP_MINORS);
	return ret;
}
module_init(imx_sdp_init);

static void __exit imx_sdp_exit(void)
{
	hid_unregister_driver(&imx_sdp_driver);
	class_unregister(&imx_sdp_class);
	unregister_chrdev_region(imx_sdp_devt, IMX_SDP_MINORS);
	ida_destroy(&imx_sdp_ida);
}
module_exit(imx_sdp_exit);

MODULE_DESCRIPTION("NXP i.MX boot ROM serial download protocol (SDP) over HID");
MODULE_AUTHOR("imxflash developers");
MODULE_LICENSE("GPL");
