// SPDX-License-Identifier: GPL-2.0
/*
 * Test module for the VM runner's own selftest: loading it triggers one
 * WARN(), which with panic_on_warn=1 must end the VM without a verdict, so
 * run-vm.sh has to report a failure.  Never load it anywhere else.
 */
#include <linux/module.h>
#include <linux/bug.h>

static bool warn = true;
module_param(warn, bool, 0444);
MODULE_PARM_DESC(warn, "trigger the WARN on load (default: yes)");

static int __init imxf_vm_warn_init(void)
{
	WARN(warn, "imxf_vm_warn: deliberate warning (vm/selftest.sh)\n");
	return 0;
}

static void __exit imxf_vm_warn_exit(void)
{
}

module_init(imxf_vm_warn_init);
module_exit(imxf_vm_warn_exit);
MODULE_DESCRIPTION("imxflash VM runner selftest: deliberate WARN");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");
