// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot: generic netlink family "fastboot".
 *
 * Two jobs: events of every instance go to the "events" multicast group,
 * and "oem ..." commands are handed to a registered userspace handler
 * whose INFO lines and final answer come back through this family. The
 * wire format is documented in <linux/usb/fastboot.h>.
 *
 * State: a small table of handler registrations (netlink port ids, not
 * socket pointers) and a small table of oem requests in flight. Handlers
 * name a request by its id; the id encodes the table index plus a
 * generation count, so a stale id never reaches a newer request. Both
 * tables are protected by fastboot_nl_lock, a spinlock because
 * fastboot_nl_oem_cancel() may be called from atomic context (a
 * function's disable()).
 *
 * Nothing in here sleeps under the lock, and no doit handler sleeps at
 * all: genetlink runs them with its cb_lock held for reading, and a
 * handler stuck there would stall every family's registration.
 */

#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "f_fastboot_nl.h"

/* Bytes of an instance name with its NUL: FASTBOOT_NAME_LEN (u_fastboot.h) */
#define FASTBOOT_NL_NAME_LEN		32
/* One INFO or OKAY/FAIL text as the host sees it: 64 - "INFO". */
#define FASTBOOT_NL_LINE_LEN		60
/* Longest line a handler may send; it is cut to FASTBOOT_NL_LINE_LEN. */
#define FASTBOOT_NL_MSG_MAX		255
/*
 * INFO lines a request may have queued before OEM_INFO says -EAGAIN; 30
 * keeps struct fastboot_nl_req (1968 bytes on x86_64) in a 2 KiB allocation.
 */
#define FASTBOOT_NL_QLEN		30
/* Handler registrations and oem requests in flight (one per instance). */
#define FASTBOOT_NL_MAX_HANDLERS	32
#define FASTBOOT_NL_INDEX_BITS		5
#define FASTBOOT_NL_MAX_REQS		BIT(FASTBOOT_NL_INDEX_BITS)

/**
 * struct fastboot_nl_handler - one registration
 * @portid:   netlink port of the handler's socket, 0 = free entry
 * @all:      serves every instance without a handler of its own
 * @instance: instance served when !@all
 */
struct fastboot_nl_handler {
	u32 portid;
	bool all;
	char instance[FASTBOOT_NL_NAME_LEN];
};

/*
 * struct fastboot_nl_req - one oem request, owned by the fastboot_nl_oem()
 * call that waits for it; reachable from fastboot_nl_reqs[] (under
 * fastboot_nl_lock) only while that call runs. Lines are a ring of
 * NUL-terminated texts.
 */
struct fastboot_nl_req {
	wait_queue_head_t wq;
	u32 id;
	u32 portid;
	int result;		/* 1 while running, else the final result */
	u8 head;
	u8 count;
	char instance[FASTBOOT_NL_NAME_LEN];
	char reply[FASTBOOT_NL_LINE_LEN + 1];
	char lines[FASTBOOT_NL_QLEN][FASTBOOT_NL_LINE_LEN + 1];
};

#define FASTBOOT_NL_RUNNING	1

static DEFINE_SPINLOCK(fastboot_nl_lock);
static struct fastboot_nl_handler fastboot_nl_handlers[FASTBOOT_NL_MAX_HANDLERS];
static struct fastboot_nl_req *fastboot_nl_reqs[FASTBOOT_NL_MAX_REQS];
static u32 fastboot_nl_gen;	/* upper bits of the next request id */

static struct genl_family fastboot_nl_family;

enum { FASTBOOT_NL_MCGRP_EVENTS };

static const struct genl_multicast_group fastboot_nl_mcgrps[] = {
	[FASTBOOT_NL_MCGRP_EVENTS] = { .name = FASTBOOT_GENL_MCGRP_EVENTS },
};

/* ---- events ---- */

static size_t fastboot_nl_str_size(const char *s)
{
	return s ? nla_total_size(strlen(s) + 1) : 0;
}

void fastboot_nl_notify(const struct fastboot_nl_event *ev)
{
	struct sk_buff *skb;
	size_t size;
	void *hdr;

	if (!genl_has_listeners(&fastboot_nl_family, &init_net,
				FASTBOOT_NL_MCGRP_EVENTS))
		return;

	size = nla_total_size(sizeof(u32)) +		/* EVENT */
	       fastboot_nl_str_size(ev->instance) +
	       fastboot_nl_str_size(ev->part) +
	       nla_total_size_64bit(sizeof(u64)) +	/* BYTES */
	       nla_total_size(sizeof(s32)) +		/* STATUS */
	       nla_total_size(sizeof(u32)) +		/* DURATION_MS */
	       fastboot_nl_str_size(ev->msg);
	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &fastboot_nl_family, 0,
			  FASTBOOT_CMD_EVENT);
	if (!hdr)
		goto drop;
	if (nla_put_u32(skb, FASTBOOT_A_EVENT, ev->type) ||
	    (ev->instance &&
	     nla_put_string(skb, FASTBOOT_A_INSTANCE, ev->instance)) ||
	    (ev->part && nla_put_string(skb, FASTBOOT_A_PARTITION, ev->part)) ||
	    nla_put_u64_64bit(skb, FASTBOOT_A_BYTES, ev->bytes,
			      FASTBOOT_A_PAD) ||
	    nla_put_s32(skb, FASTBOOT_A_STATUS, ev->status) ||
	    nla_put_u32(skb, FASTBOOT_A_DURATION_MS, ev->duration_ms) ||
	    (ev->msg && nla_put_string(skb, FASTBOOT_A_MESSAGE, ev->msg)))
		goto drop;
	genlmsg_end(skb, hdr);
	/* -ESRCH (the last listener left meanwhile) is not an error. */
	genlmsg_multicast(&fastboot_nl_family, skb, 0, FASTBOOT_NL_MCGRP_EVENTS,
			  GFP_KERNEL);
	return;
drop:
	nlmsg_free(skb);
}

/* ---- tables ---- */

/* The request with @id, if it is still in the table. */
static struct fastboot_nl_req *fastboot_nl_req_find(u32 id)
{
	struct fastboot_nl_req *req;

	lockdep_assert_held(&fastboot_nl_lock);
	req = fastboot_nl_reqs[id & (FASTBOOT_NL_MAX_REQS - 1)];
	return req && req->id == id ? req : NULL;
}

/* End @req with @result and wake its waiter (first result wins). */
static void fastboot_nl_req_finish(struct fastboot_nl_req *req, int result)
{
	lockdep_assert_held(&fastboot_nl_lock);
	if (req->result != FASTBOOT_NL_RUNNING)
		return;
	req->result = result;
	wake_up(&req->wq);
}

/*
 * Port of the handler for @instance: its own handler, else the one for
 * all instances; 0 if there is none.
 */
static u32 fastboot_nl_handler_for(const char *instance)
{
	u32 all = 0;
	int i;

	lockdep_assert_held(&fastboot_nl_lock);
	for (i = 0; i < FASTBOOT_NL_MAX_HANDLERS; i++) {
		const struct fastboot_nl_handler *h = &fastboot_nl_handlers[i];

		if (!h->portid)
			continue;
		if (h->all)
			all = h->portid;
		else if (!strcmp(h->instance, instance))
			return h->portid;
	}
	return all;
}

static bool fastboot_nl_handler_active(u32 portid)
{
	int i;

	lockdep_assert_held(&fastboot_nl_lock);
	for (i = 0; i < FASTBOOT_NL_MAX_HANDLERS; i++)
		if (fastboot_nl_handlers[i].portid == portid)
			return true;
	return false;
}

/*
 * The handler on @portid went away or gave up its last registration:
 * its requests fail at once rather than at their timeout.
 */
static void fastboot_nl_port_gone(u32 portid)
{
	int i;

	lockdep_assert_held(&fastboot_nl_lock);
	if (fastboot_nl_handler_active(portid))
		return;
	for (i = 0; i < FASTBOOT_NL_MAX_REQS; i++)
		if (fastboot_nl_reqs[i] &&
		    fastboot_nl_reqs[i]->portid == portid)
			fastboot_nl_req_finish(fastboot_nl_reqs[i],
					       -ECONNRESET);
}

/* ---- oem requests, kernel side ---- */

static int fastboot_nl_send_request(const struct fastboot_nl_req *req,
				    const char *cmd,
				    size_t len, unsigned int timeout_ms)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(nla_total_size(sizeof(u32)) * 2 +
			  nla_total_size(strlen(req->instance) + 1) +
			  nla_total_size(len + 1), GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &fastboot_nl_family, 0,
			  FASTBOOT_CMD_OEM_REQUEST);
	if (!hdr)
		goto nospace;
	if (nla_put_u32(skb, FASTBOOT_A_OEM_ID, req->id) ||
	    nla_put_string(skb, FASTBOOT_A_INSTANCE, req->instance) ||
	    nla_put_u32(skb, FASTBOOT_A_TIMEOUT_MS, timeout_ms))
		goto nospace;
	/* @cmd is not NUL-terminated: reserve len + 1 and terminate. */
	{
		struct nlattr *nla;

		nla = nla_reserve(skb, FASTBOOT_A_OEM_COMMAND, len + 1);
		if (!nla)
			goto nospace;
		memcpy(nla_data(nla), cmd, len);
		((char *)nla_data(nla))[len] = '\0';
	}
	genlmsg_end(skb, hdr);
	return genlmsg_unicast(&init_net, skb, req->portid);
nospace:
	nlmsg_free(skb);
	return -EMSGSIZE;
}

/*
 * Tell the handler that the kernel no longer waits for request @id, so
 * that it can stop the work (best effort, the handler may be gone).
 */
static void fastboot_nl_send_cancel(u32 portid, u32 id, int why)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(nla_total_size(sizeof(u32)) * 2, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &fastboot_nl_family, 0,
			  FASTBOOT_CMD_OEM_CANCEL);
	if (!hdr || nla_put_u32(skb, FASTBOOT_A_OEM_ID, id) ||
	    nla_put_s32(skb, FASTBOOT_A_STATUS, why)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_unicast(&init_net, skb, portid);
}

/* Put @req in a free entry and give it an id; -EBUSY if the table is full. */
static int fastboot_nl_req_insert(struct fastboot_nl_req *req)
{
	int i;

	lockdep_assert_held(&fastboot_nl_lock);
	for (i = 0; i < FASTBOOT_NL_MAX_REQS; i++) {
		if (fastboot_nl_reqs[i])
			continue;
		/* Never 0: the generation starts at 1 and skips 0 on wrap. */
		if (!(++fastboot_nl_gen << FASTBOOT_NL_INDEX_BITS))
			fastboot_nl_gen = 1;
		req->id = fastboot_nl_gen << FASTBOOT_NL_INDEX_BITS | i;
		fastboot_nl_reqs[i] = req;
		return 0;
	}
	return -EBUSY;
}

static void fastboot_nl_req_remove(struct fastboot_nl_req *req)
{
	lockdep_assert_held(&fastboot_nl_lock);
	fastboot_nl_reqs[req->id & (FASTBOOT_NL_MAX_REQS - 1)] = NULL;
}

/* Take the oldest queued line into @line; false if there is none. */
static bool fastboot_nl_req_pop(struct fastboot_nl_req *req, char *line)
{
	unsigned long flags;
	bool got = false;

	spin_lock_irqsave(&fastboot_nl_lock, flags);
	if (req->count) {
		strscpy(line, req->lines[req->head], FASTBOOT_NL_LINE_LEN + 1);
		req->head = (req->head + 1) % FASTBOOT_NL_QLEN;
		req->count--;
		got = true;
	}
	spin_unlock_irqrestore(&fastboot_nl_lock, flags);
	return got;
}

static bool fastboot_nl_req_ready(struct fastboot_nl_req *req)
{
	unsigned long flags;
	bool ready;

	spin_lock_irqsave(&fastboot_nl_lock, flags);
	ready = req->count || req->result != FASTBOOT_NL_RUNNING;
	spin_unlock_irqrestore(&fastboot_nl_lock, flags);
	return ready;
}

/*
 * Forward lines and keep-alives until the request ends. Returns the
 * request's result, -ETIMEDOUT, or the callback's error.
 */
static int fastboot_nl_req_wait(struct fastboot_nl_req *req,
				unsigned int timeout_ms,
				fastboot_nl_info_t info, void *ctx)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);
	unsigned long news = jiffies, until;
	char line[FASTBOOT_NL_LINE_LEN + 1];
	unsigned long flags;
	int result, ret;
	u8 queued;

	for (;;) {
		until = news + HZ;
		if (timeout_ms && time_before(deadline, until))
			until = deadline;
		/* Idle, not interruptible: a worker waits, not a user. */
		if (time_before(jiffies, until))
			wait_event_idle_timeout(req->wq,
						fastboot_nl_req_ready(req),
						until - jiffies);

		while (fastboot_nl_req_pop(req, line)) {
			news = jiffies;
			ret = info ? info(ctx, line) : 0;
			if (ret)
				return ret;
		}

		spin_lock_irqsave(&fastboot_nl_lock, flags);
		result = req->result;
		queued = req->count;
		spin_unlock_irqrestore(&fastboot_nl_lock, flags);
		/* Lines queued before the answer go out before it. */
		if (result != FASTBOOT_NL_RUNNING) {
			if (!queued)
				return result;
			continue;
		}
		if (timeout_ms && time_after_eq(jiffies, deadline))
			return -ETIMEDOUT;
		if (time_after_eq(jiffies, news + HZ)) {
			news = jiffies;
			ret = info ? info(ctx, NULL) : 0;
			if (ret)
				return ret;
		}
	}
}

int fastboot_nl_oem(const char *instance, const char *cmd, size_t len,
		    unsigned int timeout_ms, fastboot_nl_info_t info,
		    void *ctx, char *reply, size_t reply_len)
{
	struct fastboot_nl_req *req;
	unsigned long flags;
	int ret;

	might_sleep();
	if (reply_len)
		reply[0] = '\0';
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	init_waitqueue_head(&req->wq);
	req->result = FASTBOOT_NL_RUNNING;
	strscpy(req->instance, instance, sizeof(req->instance));

	spin_lock_irqsave(&fastboot_nl_lock, flags);
	req->portid = fastboot_nl_handler_for(req->instance);
	ret = req->portid ? fastboot_nl_req_insert(req) : -ENOENT;
	spin_unlock_irqrestore(&fastboot_nl_lock, flags);
	if (ret)
		goto out_free;

	/*
	 * If the handler is released from here on, fastboot_nl_port_gone() sees
	 * the request in the table and fails it with -ECONNRESET.
	 */
	ret = fastboot_nl_send_request(req, cmd, len, timeout_ms);
	if (ret) {
		pr_debug("oem request %u to port %u: %d\n", req->id,
			 req->portid, ret);
		ret = ret == -ENOMEM ? ret : -ECONNRESET;
	} else {
		ret = fastboot_nl_req_wait(req, timeout_ms, info, ctx);
	}

	spin_lock_irqsave(&fastboot_nl_lock, flags);
	fastboot_nl_req_remove(req);
	if (ret == -EREMOTEIO || !ret)
		strscpy(reply, req->reply, reply_len);
	spin_unlock_irqrestore(&fastboot_nl_lock, flags);

	/* The handler still works on a request nobody waits for. */
	if (ret && ret != -EREMOTEIO && ret != -ECONNRESET)
		fastboot_nl_send_cancel(req->portid, req->id, ret);
out_free:
	kfree(req);
	return ret;
}

void fastboot_nl_oem_cancel(const char *instance)
{
	unsigned long flags;
	int i;

	spin_lock_irqsave(&fastboot_nl_lock, flags);
	for (i = 0; i < FASTBOOT_NL_MAX_REQS; i++) {
		struct fastboot_nl_req *req = fastboot_nl_reqs[i];

		if (req && !strcmp(req->instance, instance))
			fastboot_nl_req_finish(req, -ESHUTDOWN);
	}
	spin_unlock_irqrestore(&fastboot_nl_lock, flags);
}

/* ---- commands from userspace ---- */

/* Copy a handler's text: cut to one response, control characters blanked. */
static void fastboot_nl_copy_line(char *dst, const struct nlattr *nla)
{
	char *p;

	if (!nla) {
		dst[0] = '\0';
		return;
	}
	nla_strscpy(dst, nla, FASTBOOT_NL_LINE_LEN + 1);
	for (p = dst; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = ' ';
}

static int fastboot_nl_register(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *inst = info->attrs[FASTBOOT_A_INSTANCE];
	struct fastboot_nl_handler *free = NULL;
	unsigned long flags;
	int i, ret = 0;

	if (inst && !*(const char *)nla_data(inst)) {
		GENL_SET_ERR_MSG(info, "empty instance name");
		return -EINVAL;
	}
	spin_lock_irqsave(&fastboot_nl_lock, flags);
	for (i = 0; i < FASTBOOT_NL_MAX_HANDLERS; i++) {
		struct fastboot_nl_handler *h = &fastboot_nl_handlers[i];

		if (!h->portid) {
			free = free ?: h;
			continue;
		}
		if (inst ? !h->all && !nla_strcmp(inst, h->instance) : h->all) {
			ret = -EBUSY;
			break;
		}
	}
	if (!ret && !free)
		ret = -ENOSPC;
	if (!ret) {
		free->portid = info->snd_portid;
		free->all = !inst;
		if (inst)
			nla_strscpy(free->instance, inst,
				    sizeof(free->instance));
	}
	spin_unlock_irqrestore(&fastboot_nl_lock, flags);

	if (ret == -EBUSY)
		GENL_SET_ERR_MSG(info, "a handler is already registered");
	else if (ret)
		GENL_SET_ERR_MSG(info, "too many handlers");
	return ret;
}

static int fastboot_nl_unregister(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *inst = info->attrs[FASTBOOT_A_INSTANCE];
	unsigned long flags;
	int i, ret = -ENOENT;

	spin_lock_irqsave(&fastboot_nl_lock, flags);
	for (i = 0; i < FASTBOOT_NL_MAX_HANDLERS; i++) {
		struct fastboot_nl_handler *h = &fastboot_nl_handlers[i];

		if (h->portid != info->snd_portid ||
		    (inst ? h->all || nla_strcmp(inst, h->instance) : !h->all))
			continue;
		memset(h, 0, sizeof(*h));
		fastboot_nl_port_gone(info->snd_portid);
		ret = 0;
		break;
	}
	spin_unlock_irqrestore(&fastboot_nl_lock, flags);

	if (ret)
		GENL_SET_ERR_MSG(info, "no such registration on this socket");
	return ret;
}

/*
 * The request an OEM_INFO/OEM_DONE names, if it is running and was sent
 * to this socket.
 */
static struct fastboot_nl_req *fastboot_nl_req_of(struct genl_info *info)
{
	struct fastboot_nl_req *req;

	lockdep_assert_held(&fastboot_nl_lock);
	req = fastboot_nl_req_find(nla_get_u32(info->attrs[FASTBOOT_A_OEM_ID]));
	if (!req || req->portid != info->snd_portid ||
	    req->result != FASTBOOT_NL_RUNNING)
		return NULL;
	return req;
}

static int fastboot_nl_info(struct sk_buff *skb, struct genl_info *info)
{
	char line[FASTBOOT_NL_LINE_LEN + 1];
	struct fastboot_nl_req *req;
	unsigned long flags;
	int ret = 0;

	if (GENL_REQ_ATTR_CHECK(info, FASTBOOT_A_OEM_ID) ||
	    GENL_REQ_ATTR_CHECK(info, FASTBOOT_A_MESSAGE))
		return -EINVAL;
	fastboot_nl_copy_line(line, info->attrs[FASTBOOT_A_MESSAGE]);

	spin_lock_irqsave(&fastboot_nl_lock, flags);
	req = fastboot_nl_req_of(info);
	if (!req) {
		ret = -ENOENT;
	} else if (req->count == FASTBOOT_NL_QLEN) {
		ret = -EAGAIN;
	} else {
		strscpy(req->lines[(req->head + req->count) % FASTBOOT_NL_QLEN],
			line, FASTBOOT_NL_LINE_LEN + 1);
		req->count++;
		wake_up(&req->wq);
	}
	spin_unlock_irqrestore(&fastboot_nl_lock, flags);

	if (ret == -ENOENT)
		GENL_SET_ERR_MSG(info, "no such oem request on this socket");
	else if (ret)
		GENL_SET_ERR_MSG(info, "INFO queue full, retry");
	return ret;
}

static int fastboot_nl_done(struct sk_buff *skb, struct genl_info *info)
{
	char text[FASTBOOT_NL_LINE_LEN + 1];
	struct fastboot_nl_req *req;
	unsigned long flags;
	s32 status;

	if (GENL_REQ_ATTR_CHECK(info, FASTBOOT_A_OEM_ID) ||
	    GENL_REQ_ATTR_CHECK(info, FASTBOOT_A_STATUS))
		return -EINVAL;
	status = nla_get_s32(info->attrs[FASTBOOT_A_STATUS]);
	fastboot_nl_copy_line(text, info->attrs[FASTBOOT_A_MESSAGE]);

	spin_lock_irqsave(&fastboot_nl_lock, flags);
	req = fastboot_nl_req_of(info);
	if (req) {
		strscpy(req->reply, text, sizeof(req->reply));
		fastboot_nl_req_finish(req, status ? -EREMOTEIO : 0);
	}
	spin_unlock_irqrestore(&fastboot_nl_lock, flags);

	if (!req) {
		GENL_SET_ERR_MSG(info, "no such oem request on this socket");
		return -ENOENT;
	}
	return 0;
}

/* ---- family ---- */

static const struct nla_policy fastboot_nl_register_policy[FASTBOOT_A_MAX + 1] = {
	[FASTBOOT_A_INSTANCE] = { .type = NLA_NUL_STRING,
				  .len = FASTBOOT_NL_NAME_LEN - 1 },
};

static const struct nla_policy fastboot_nl_info_policy[FASTBOOT_A_MAX + 1] = {
	[FASTBOOT_A_OEM_ID] = { .type = NLA_U32 },
	[FASTBOOT_A_MESSAGE] = { .type = NLA_NUL_STRING,
				 .len = FASTBOOT_NL_MSG_MAX },
};

static const struct nla_policy fastboot_nl_done_policy[FASTBOOT_A_MAX + 1] = {
	[FASTBOOT_A_OEM_ID] = { .type = NLA_U32 },
	[FASTBOOT_A_STATUS] = { .type = NLA_S32 },
	[FASTBOOT_A_MESSAGE] = { .type = NLA_NUL_STRING,
				 .len = FASTBOOT_NL_MSG_MAX },
};

/*
 * Full genl_ops (not small ops, not split ops) because each command has
 * its own policy; the struct is the same in 6.1 and 6.12. Every command
 * changes state of the function, so all need CAP_NET_ADMIN.
 */
static const struct genl_ops fastboot_nl_ops[] = {
	{
		.cmd = FASTBOOT_CMD_OEM_REGISTER,
		.doit = fastboot_nl_register,
		.policy = fastboot_nl_register_policy,
		.maxattr = FASTBOOT_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = FASTBOOT_CMD_OEM_UNREGISTER,
		.doit = fastboot_nl_unregister,
		.policy = fastboot_nl_register_policy,
		.maxattr = FASTBOOT_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = FASTBOOT_CMD_OEM_INFO,
		.doit = fastboot_nl_info,
		.policy = fastboot_nl_info_policy,
		.maxattr = FASTBOOT_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = FASTBOOT_CMD_OEM_DONE,
		.doit = fastboot_nl_done,
		.policy = fastboot_nl_done_policy,
		.maxattr = FASTBOOT_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
};

/*
 * resv_start_op 0: strict attribute validation for every command, as new
 * families should have. parallel_ops: the doit handlers take fastboot_nl_lock
 * and never sleep, so genl_mutex is not needed.
 */
static struct genl_family fastboot_nl_family = {
	.name = FASTBOOT_GENL_NAME,
	.version = FASTBOOT_GENL_VERSION,
	.maxattr = FASTBOOT_A_MAX,
	.resv_start_op = 0,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = fastboot_nl_ops,
	.n_ops = ARRAY_SIZE(fastboot_nl_ops),
	.mcgrps = fastboot_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(fastboot_nl_mcgrps),
};

/* A generic netlink socket closed: drop its registrations. */
static int fastboot_nl_urelease(struct notifier_block *nb, unsigned long event,
				void *ptr)
{
	const struct netlink_notify *n = ptr;
	unsigned long flags;
	bool had = false;
	int i;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net))
		return NOTIFY_DONE;

	spin_lock_irqsave(&fastboot_nl_lock, flags);
	for (i = 0; i < FASTBOOT_NL_MAX_HANDLERS; i++) {
		if (fastboot_nl_handlers[i].portid != n->portid)
			continue;
		memset(&fastboot_nl_handlers[i], 0,
		       sizeof(fastboot_nl_handlers[i]));
		had = true;
	}
	if (had)
		fastboot_nl_port_gone(n->portid);
	spin_unlock_irqrestore(&fastboot_nl_lock, flags);
	return NOTIFY_DONE;
}

static struct notifier_block fastboot_nl_notifier = {
	.notifier_call = fastboot_nl_urelease,
};

int fastboot_nl_init(void)
{
	int ret;

	ret = netlink_register_notifier(&fastboot_nl_notifier);
	if (ret)
		return ret;
	ret = genl_register_family(&fastboot_nl_family);
	if (ret)
		netlink_unregister_notifier(&fastboot_nl_notifier);
	return ret;
}

void fastboot_nl_exit(void)
{
	genl_unregister_family(&fastboot_nl_family);
	netlink_unregister_notifier(&fastboot_nl_notifier);
}

MODULE_ALIAS_GENL_FAMILY(FASTBOOT_GENL_NAME);
