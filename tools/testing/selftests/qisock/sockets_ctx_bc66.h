/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BC66 forms of sockets_test.c's context tests, included by it (they
 * use its fixture and helpers). The BC66 has one context that follows
 * network registration ("+IP:"): type and apn are AT+CGDCONT, a change
 * re-attaches (AT+CFUN=0/1), active is read-only, username, password,
 * auth, autoconnect and retries do not exist; sockets and DNS servers wait
 * for "+IP:". What each test checks on the EC200U is unchanged.
 */
#ifndef SOCKETS_CTX_BC66_H
#define SOCKETS_CTX_BC66_H

/* A socket on context 1 that receives 5 bytes from a peer; 0 or errno. */
static int ctx_bc66_recv(FIXTURE_DATA(sock) *self, int slot, int flags)
{
	struct qisock_open q;
	char buf[8];
	int port, err, fd;

	if (peer_serve(&port, NULL, "tcp send=5"))
		return EIO;
	open_req(&q, QISOCK_TCP, self->host, port, 0);
	fd = self->fd[slot] = sk_open(self, slot, flags, &q, &err);
	if (fd < 0)
		return err;
	if (read_within(fd, buf, 5, 20000) != 5)
		return EIO;
	return 0;
}

/* The modem probed again after a reboot: its state reads "ready". */
static bool ctx_bc66_ready(FIXTURE_DATA(sock) *self, int ms)
{
	long end = now_ms() + ms;
	char st[32];

	sleep_ms(500);	/* RDY reaches the driver */
	do {
		if (read_attr(self->dev, "state", st, sizeof(st)) >= 0 &&
		    !strcmp(st, "ready"))
			return true;
		sleep_ms(50);
	} while (now_ms() < end);
	return false;
}

/* Set type and APN of ctx1 back to the simulator's factory values. */
static void ctx_bc66_reset(FIXTURE_DATA(sock) *self)
{
	ctx_write(self, 1, "type", "ipv4");
	ctx_write(self, 1, "apn", "\n");
	ctx_wait_state(self, 1, "up", 20000);
}

/*
 * type and apn written through sysfs reach the module's AT+CGDCONT and
 * are read back from it; the re-attach takes the open socket down
 * (ENETDOWN) and "+IP:" brings the context up again with the new APN.
 */
static void ctx_bc66_configure(struct __test_metadata *_metadata,
			       FIXTURE_DATA(sock) *self)
{
	static const char * const absent[] = {
		"username", "password", "auth", "autoconnect", "retries",
	};
	char path[PATH_MAX + 32], v[256], r[512];
	struct qisock_info in;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(absent); i++) {
		snprintf(path, sizeof(path), "%s/ctx1/%s", self->dev, absent[i]);
		EXPECT_NE(0, access(path, F_OK)) TH_LOG("BC66 has ctx1/%s", absent[i]);
	}
	EXPECT_EQ(ENOENT, ctx_write(self, 2, "apn", "x")) TH_LOG("BC66 has ctx2");
	ASSERT_TRUE(ctx_wait_state(self, 1, "up", 20000));
	ASSERT_EQ(0, ctx_bc66_recv(self, 0, 0));

	ASSERT_EQ(0, ctx_write(self, 1, "type", "ipv4v6\n"));
	ASSERT_EQ(0, ctx_write(self, 1, "apn", "internet.example\n"));
	ASSERT_EQ(0, sk_info(self->fd[0], &in));
	EXPECT_EQ(QISOCK_SS_FAILED, in.state);
	EXPECT_EQ(ENETDOWN, in.error) TH_LOG("error %u", in.error);
	ASSERT_EQ(0, ctx_read(self, 1, "type", v, sizeof(v)));
	EXPECT_STREQ("ipv4v6", v);
	ASSERT_EQ(0, ctx_read(self, 1, "apn", v, sizeof(v)));
	EXPECT_STREQ("internet.example", v);
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim ctx 1"));
	EXPECT_NE(NULL, strstr(r, "type=3 apn=internet.example ")) TH_LOG("sim: %s", r);
	ASSERT_TRUE(ctx_wait_state(self, 1, "up", 20000)) TH_LOG("no +IP: after the re-attach");
	/* one "+IP:" per family: the second may come a moment after "up" */
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, ctx_read(self, 1, "address", v, sizeof(v)));
		if (strchr(v, ' '))
			break;
		sleep_ms(50);
	}
	EXPECT_NE(NULL, strchr(v, ' ')) TH_LOG("IPv4v6: two addresses, got \"%s\"", v);
	ASSERT_EQ(0, ctx_read(self, 1, "last_error", v, sizeof(v)));
	EXPECT_STREQ("0", v);
	EXPECT_EQ(0, ctx_bc66_recv(self, 1, 0)) TH_LOG("socket after the re-attach");
	ctx_bc66_reset(self);
}

/* Bad values: EINVAL (EACCES for read-only active), nothing sent. */
static void ctx_bc66_bad_input(struct __test_metadata *_metadata,
			       FIXTURE_DATA(sock) *self)
{
	static const struct { const char *attr, *val; int err; } bad[] = {
		{ "apn", "in\"ternet", EINVAL }, { "apn", "a\rAT+CFUN=0", EINVAL },
		{ "apn", "inter\\net", EINVAL }, { "type", "ipv5", EINVAL },
		{ "type", "1", EINVAL }, { "active", "0", EACCES },
		{ "dns", "8.8.8.8,\"1\"", EINVAL }, { "dns", "dns.example", EINVAL },
		{ "username", "bob", ENOENT },
	};
	unsigned long long tx0, rx0, tx1, rx1;
	char longv[130];
	size_t i;

	ASSERT_EQ(0, sim_stats(&tx0, &rx0));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(bad[i].err, ctx_write(self, 1, bad[i].attr, bad[i].val))
			TH_LOG("bad value #%zu", i);
	memset(longv, 'a', sizeof(longv) - 1);
	longv[101] = '\0';
	EXPECT_EQ(EINVAL, ctx_write(self, 1, "apn", longv)) TH_LOG("APN of 101 bytes");
	sleep_ms(300);
	ASSERT_EQ(0, sim_stats(&tx1, &rx1));
	EXPECT_EQ(rx0, rx1) TH_LOG("%llu bytes reached the module", rx1 - rx0);
}

/*
 * "+IP:" gating: the network drops the bearer ("pdpdeact"; the simulator
 * registers again a second later): pollers of state wake, the socket
 * fails with ENETDOWN, a non-blocking open before "+IP:" is refused with
 * ENETDOWN and nothing reaches the module, DNS servers cannot be set; a
 * blocking open waits for "+IP:" and connects; the DNS servers written
 * while up are set again after it, IPv6 ones refused on an IPv4 network.
 */
static void ctx_bc66_gating(struct __test_metadata *_metadata,
			    FIXTURE_DATA(sock) *self)
{
	unsigned long long tx0, rx0, tx1, rx1;
	char path[PATH_MAX + 32], v[256], r[512];
	struct qisock_info in;
	struct pollfd p;
	int sfd;

	ASSERT_TRUE(ctx_wait_state(self, 1, "up", 20000));
	EXPECT_EQ(EAFNOSUPPORT, ctx_write(self, 1, "dns", "2001:db8::53"));
	ASSERT_EQ(0, ctx_write(self, 1, "dns", "192.0.2.53 192.0.2.54\n"));
	ASSERT_EQ(0, ctx_read(self, 1, "dns", v, sizeof(v)));
	EXPECT_EQ(0, strncmp(v, "192.0.2.53 192.0.2.54", 21)) TH_LOG("dns \"%s\"", v);
	ASSERT_EQ(0, ctx_bc66_recv(self, 0, 0));

	snprintf(path, sizeof(path), "%s/ctx1/state", self->dev);
	sfd = open(path, O_RDONLY);
	ASSERT_LE(0, sfd);
	ASSERT_LT(0, read(sfd, v, sizeof(v)));
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim pdpdeact 1")) TH_LOG("sim: %s", r);
	p = (struct pollfd){ .fd = sfd, .events = POLLPRI | POLLERR };
	EXPECT_EQ(1, poll(&p, 1, 20000)) TH_LOG("state did not wake its poller");
	close(sfd);
	ASSERT_EQ(0, ctx_read(self, 1, "state", v, sizeof(v)));
	if (strcmp(v, "down"))
		SKIP(return, "\"+IP:\" came back before the test looked (%s)", v);
	ASSERT_EQ(0, sk_info(self->fd[0], &in));
	EXPECT_EQ(ENETDOWN, in.error) TH_LOG("error %u", in.error);

	ASSERT_EQ(0, sim_stats(&tx0, &rx0));
	EXPECT_EQ(ENETDOWN, ctx_bc66_recv(self, 1, O_NONBLOCK));
	EXPECT_EQ(ENETDOWN, ctx_write(self, 1, "dns", "192.0.2.55"));
	ASSERT_EQ(0, sim_stats(&tx1, &rx1));
	EXPECT_EQ(rx0, rx1) TH_LOG("%llu bytes reached the module before +IP:", rx1 - rx0);

	EXPECT_EQ(0, ctx_bc66_recv(self, 2, 0)) TH_LOG("a blocking open did not wait for +IP:");
	ASSERT_EQ(0, ctx_read(self, 1, "state", v, sizeof(v)));
	EXPECT_STREQ("up", v);
	sleep_ms(300);	/* AT+QIDNSCFG is queued by "+IP:" */
	ASSERT_EQ(0, ctx_read(self, 1, "dns", v, sizeof(v)));
	EXPECT_EQ(0, strncmp(v, "192.0.2.53 192.0.2.54", 21)) TH_LOG("not set again: \"%s\"", v);
}

/*
 * No autoconnect on the BC66: the module attaches again by itself after
 * "pdpdeact" and after a reboot, and keeps its AT+CGDCONT (NVRAM).
 */
static void ctx_bc66_keeps_up(struct __test_metadata *_metadata,
			      FIXTURE_DATA(sock) *self)
{
	char r[512];

	ASSERT_EQ(0, ctx_write(self, 1, "apn", "keep.example"));
	ASSERT_TRUE(ctx_wait_state(self, 1, "up", 20000));
	ASSERT_EQ(0, ctx_bc66_recv(self, 0, 0));
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim pdpdeact 1")) TH_LOG("sim: %s", r);
	ASSERT_TRUE(ctx_wait_state(self, 1, "down", 10000));
	ASSERT_TRUE(ctx_wait_state(self, 1, "up", 30000)) TH_LOG("not back after pdpdeact");
	ASSERT_EQ(0, ctx_bc66_recv(self, 1, 0)) TH_LOG("socket after pdpdeact");

	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 10000, "sim reboot")) TH_LOG("sim: %s", r);
	ASSERT_TRUE(ctx_bc66_ready(self, 20000)) TH_LOG("not probed again after a reboot");
	ASSERT_TRUE(ctx_wait_state(self, 1, "up", 60000)) TH_LOG("not back after a reboot");
	ASSERT_EQ(0, qs_peer_cmd(r, sizeof(r), 5000, "sim ctx 1"));
	EXPECT_NE(NULL, strstr(r, "apn=keep.example ")) TH_LOG("AT+CGDCONT lost: %s", r);
	ASSERT_EQ(0, ctx_bc66_recv(self, 2, 0)) TH_LOG("socket after the reboot");
	ctx_bc66_reset(self);
}

#endif /* SOCKETS_CTX_BC66_H */
