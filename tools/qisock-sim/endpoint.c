// SPDX-License-Identifier: GPL-2.0
/*
 * qisock-sim: the serial endpoint the host talks to.
 *
 * --unix PATH: listen on a unix stream socket; one client at a time (QEMU's
 *   -chardev socket connects as a client). A new client is a module power-on,
 *   a client going away is a power-off.
 * --pty LINK: create a pseudo terminal and symlink its slave at LINK. The
 *   module is powered on once at start. The simulator keeps the slave open
 *   itself so the master never sees a hangup between users.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "sim.h"

static int lfd = -1;		/* unix listener */
static int cfd = -1;		/* unix client */
static int ptm = -1, pts = -1;	/* pty master / held slave */

static int unix_listen(const char *path)
{
	struct sockaddr_un sa;
	int s;

	if (strlen(path) >= sizeof(sa.sun_path))
		die("unix socket path too long: %s", path);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0)
		die("socket: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	unlink(path);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind %s: %s", path, strerror(errno));
	if (listen(s, 4) < 0)
		die("listen %s: %s", path, strerror(errno));
	set_nonblock(s);
	return s;
}

static void pty_open(const char *link)
{
	struct termios t;
	char *name;

	ptm = posix_openpt(O_RDWR | O_NOCTTY);
	if (ptm < 0 || grantpt(ptm) < 0 || unlockpt(ptm) < 0)
		die("pty: %s", strerror(errno));
	name = ptsname(ptm);
	if (!name)
		die("ptsname: %s", strerror(errno));
	pts = open(name, O_RDWR | O_NOCTTY);
	if (pts < 0)
		die("open %s: %s", name, strerror(errno));
	if (tcgetattr(pts, &t) == 0) {
		cfmakeraw(&t);
		t.c_cflag |= CLOCAL | CREAD;
		t.c_cflag &= ~CRTSCTS;
		tcsetattr(pts, TCSANOW, &t);
	}
	fcntl(pts, F_SETFD, FD_CLOEXEC);
	unlink(link);
	if (symlink(name, link) < 0)
		die("symlink %s -> %s: %s", link, name, strerror(errno));
	set_nonblock(ptm);
	fprintf(stderr, "qisock-sim: %s model on %s -> %s\n", mdl->name, link,
		name);
}

int ep_init(void)
{
	if (opts.unix_path) {
		lfd = unix_listen(opts.unix_path);
		fprintf(stderr, "qisock-sim: %s model listening on %s\n",
			mdl->name, opts.unix_path);
	} else {
		pty_open(opts.pty_link);
		line_attach(ptm);
		modem_power_on(!opts.no_rdy);
	}
	return 0;
}

void ep_cleanup(void)
{
	if (opts.unix_path && lfd >= 0)
		unlink(opts.unix_path);
	if (opts.pty_link && ptm >= 0)
		unlink(opts.pty_link);
}

int ep_pollfds(struct pollfd *pfd, int max)
{
	if (max < 1 || lfd < 0 || cfd >= 0)
		return 0;
	pfd->fd = lfd;
	pfd->events = POLLIN;
	pfd->revents = 0;
	return 1;
}

void ep_poll_done(struct pollfd *pfd, int n)
{
	int s;

	if (n < 1 || !(pfd->revents & POLLIN))
		return;
	s = accept(lfd, NULL, NULL);
	if (s < 0)
		return;
	set_nonblock(s);
	cfd = s;
	trace_note("client connected: power-on");
	line_attach(cfd);
	modem_power_on(!opts.no_rdy);
}

void ep_client_gone(void)
{
	if (cfd >= 0) {
		trace_note("client disconnected: power-off");
		modem_power_off();
		line_attach(-1);
		close(cfd);
		cfd = -1;
	} else if (ptm >= 0) {
		/* should not happen: we hold the slave open */
		trace_note("pty hangup");
	}
}
