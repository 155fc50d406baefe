// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the wait of userspace/lib/fb-usb.c for a device to leave
 * the bus (after reboot, continue, boot): gone().
 *
 * usbfs reports a disconnected device to poll() as POLLHUP/POLLERR; the
 * read end of a pipe does the same once its writer is closed, so a pipe
 * stands in for the device's usbfs file here. fb-usb.c is included (its
 * gone() and struct fb_usb are private) and linked with the real
 * fb-host.c, whose fbh_check_cancel() decides what a cancel is.
 *
 * Covered: a device that has left is seen at once; one that stays is
 * waited for until @ms; a departure during the wait ends it; a cancel
 * flag already set, or set by a signal during the wait, ends it without
 * waiting out @ms (the harness's 30 s timeout fails a test that waits its
 * 60 s); without a flag a signal ends it (fb-host.h: a signal cancels);
 * with a flag still clear a signal does not.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include "fb-usb.c"

#include "kselftest_harness.h"

#define LONG_MS	60000u	/* longer than the harness lets a test run */

static volatile int cancel_flag;
static volatile int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
	cancel_flag = 1;
}

static void on_alarm_count(int sig)
{
	(void)sig;
	alarms++;
}

/* SIGALRM in @ms, handled by @fn, not restarting interrupted calls. */
static void alarm_in(void (*fn)(int), unsigned int ms)
{
	struct sigaction sa = { .sa_handler = fn };
	struct itimerval it = {
		.it_value = { ms / 1000, (ms % 1000) * 1000 },
	};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * Closes @fd after @ms; SIGALRM blocked, so that the alarm interrupts the
 * test's poll(), not this thread's sleep.
 */
struct closer {
	int fd;
	unsigned int ms;
	pthread_t t;
};

static void *close_later_fn(void *arg)
{
	struct closer *c = arg;

	usleep(c->ms * 1000);
	close(c->fd);
	return NULL;
}

static int close_later(struct closer *c)
{
	sigset_t alrm, old;
	int ret;

	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, &old);
	ret = pthread_create(&c->t, NULL, close_later_fn, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

FIXTURE(gone) {
	struct fbh_dev *d;
	struct fb_usb *u;
	int pipe[2];
};

FIXTURE_SETUP(gone)
{
	cancel_flag = 0;
	alarms = 0;
	ASSERT_EQ(0, pipe(self->pipe));
	self->d = fbh_dev_new();
	self->u = calloc(1, sizeof(*self->u));
	ASSERT_NE(NULL, self->d);
	ASSERT_NE(NULL, self->u);
	self->u->fd = self->pipe[0];
	self->d->usb = self->u;
}

FIXTURE_TEARDOWN(gone)
{
	struct itimerval off = { 0 };

	setitimer(ITIMER_REAL, &off, NULL);
	signal(SIGALRM, SIG_DFL);
	close(self->pipe[0]);
	if (self->pipe[1] >= 0)
		close(self->pipe[1]);
	free(self->u);
	free(self->d);	/* not fbh_close(): no usbfs state to release */
}

TEST_F(gone, left_before_the_wait)
{
	close(self->pipe[1]);
	self->pipe[1] = -1;
	EXPECT_TRUE(gone(self->d, LONG_MS));
}

TEST_F(gone, stays_until_the_wait_ends)
{
	u64 t0 = mono_ms();

	EXPECT_FALSE(gone(self->d, 200));
	EXPECT_LE(200u, mono_ms() - t0);
}

TEST_F(gone, leaves_during_the_wait)
{
	struct closer c = { .fd = self->pipe[1], .ms = 200 };

	self->pipe[1] = -1;
	ASSERT_EQ(0, close_later(&c));
	EXPECT_TRUE(gone(self->d, LONG_MS));
	pthread_join(c.t, NULL);
}

TEST_F(gone, cancelled_before_the_wait)
{
	cancel_flag = 1;
	fbh_set_cancel(self->d, &cancel_flag);
	EXPECT_FALSE(gone(self->d, LONG_MS));
}

TEST_F(gone, cancelled_by_a_signal_during_the_wait)
{
	fbh_set_cancel(self->d, &cancel_flag);
	alarm_in(on_alarm, 200);
	EXPECT_FALSE(gone(self->d, LONG_MS));
	EXPECT_EQ(1, alarms);
}

TEST_F(gone, a_signal_without_a_flag_cancels)
{
	alarm_in(on_alarm_count, 200);
	EXPECT_FALSE(gone(self->d, LONG_MS));
	EXPECT_EQ(1, alarms);
}

TEST_F(gone, a_signal_with_the_flag_clear_does_not)
{
	struct closer c = { .fd = self->pipe[1], .ms = 600 };

	self->pipe[1] = -1;
	fbh_set_cancel(self->d, &cancel_flag);
	ASSERT_EQ(0, close_later(&c));
	alarm_in(on_alarm_count, 200);
	EXPECT_TRUE(gone(self->d, LONG_MS));
	EXPECT_EQ(1, alarms);
	pthread_join(c.t, NULL);
}

TEST_HARNESS_MAIN
