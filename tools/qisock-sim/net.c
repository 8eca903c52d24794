// SPDX-License-Identifier: GPL-2.0
/* qisock-sim: stub */
#include "sim.h"

struct sock socks[MAX_SOCK];

struct sock *sock_get(int id) { (void)id; return NULL; }
void net_reset(void) {}
int net_pollfds(struct pollfd *pfd, int max, struct sock **owner) { (void)pfd; (void)max; (void)owner; return 0; }
void net_poll_done(struct pollfd *pfd, int n, struct sock **owner) { (void)pfd; (void)n; (void)owner; }
void net_remote_close(struct sock *s) { (void)s; }
void net_deliver_buffered(struct sock *s) { (void)s; }
void net_trans_write(struct sock *s, const uint8_t *p, size_t n) { (void)s; (void)p; (void)n; }
