// SPDX-License-Identifier: GPL-2.0
/*
 * Test module for the debug VM kernel (vm/debug-selftest.sh): loading it
 * commits one deliberate bug that one of the debug kernel's checkers must
 * report, so run-vm.sh --kernel debug has to fail.  Never load it anywhere
 * else.
 *   bug=leak     kmalloc() and forget the pointer (kmemleak, default)
 *   bug=kasan    read one byte past a kmalloc(16) (KASAN)
 *   bug=ubsan    index an array out of bounds (UBSAN)
 *   bug=atomic   mutex_lock() under a spinlock (DEBUG_ATOMIC_SLEEP; the
 *                mutex is free, so it does not actually schedule)
 *   bug=lockdep  take two mutexes in both orders (PROVE_LOCKING)
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>

static char *bug = "leak";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "leak|kasan|ubsan|atomic|lockdep (default: leak)");

static int idx = 4;
module_param(idx, int, 0444);
MODULE_PARM_DESC(idx, "array index for bug=ubsan (default: 4, out of bounds)");

static int imxf_vm_arr[4];
static DEFINE_SPINLOCK(imxf_vm_lock);
static DEFINE_MUTEX(imxf_vm_a);
static DEFINE_MUTEX(imxf_vm_b);

static noinline void imxf_vm_leak(void)
{
	char *p = kmalloc(192, GFP_KERNEL);

	if (p)
		strscpy(p, "imxf_vm_leak: deliberately leaked", 192);
	pr_info("imxf_vm_leak: leaked 192 bytes at %px\n", p);
}

static int __init imxf_vm_leak_init(void)
{
	if (!strcmp(bug, "leak")) {
		imxf_vm_leak();
	} else if (!strcmp(bug, "kasan")) {
		char *p = kmalloc(16, GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		pr_info("imxf_vm_leak: byte 16 of 16 is %d\n", READ_ONCE(p[16]));
		kfree(p);
	} else if (!strcmp(bug, "ubsan")) {
		pr_info("imxf_vm_leak: arr[%d] = %d\n", idx, imxf_vm_arr[idx]);
	} else if (!strcmp(bug, "atomic")) {
		spin_lock(&imxf_vm_lock);
		mutex_lock(&imxf_vm_b);
		mutex_unlock(&imxf_vm_b);
		spin_unlock(&imxf_vm_lock);
	} else if (!strcmp(bug, "lockdep")) {
		mutex_lock(&imxf_vm_a);
		mutex_lock(&imxf_vm_b);
		mutex_unlock(&imxf_vm_b);
		mutex_unlock(&imxf_vm_a);
		mutex_lock(&imxf_vm_b);
		mutex_lock(&imxf_vm_a);
		mutex_unlock(&imxf_vm_a);
		mutex_unlock(&imxf_vm_b);
	} else {
		return -EINVAL;
	}
	return 0;
}

static void __exit imxf_vm_leak_exit(void)
{
}

module_init(imxf_vm_leak_init);
module_exit(imxf_vm_leak_exit);
MODULE_DESCRIPTION("imxflash debug VM selftest: deliberate leak and other bugs");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");
