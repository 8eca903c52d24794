// SPDX-License-Identifier: GPL-2.0
/*
 * qisock character devices: /dev/qisock<M> (control node: a free socket on
 * QISOCK_IOC_OPEN) and /dev/qisock<M>s<N> (one connectID), and the file
 * operations every socket file shares (also the anonymous-inode files
 * QISOCK_IOC_ACCEPT returns).
 */
#include <linux/anon_inodes.h>
#include <linux/cdev.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/termios.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "qisock.h"
#include "qisock_compat.h"

static dev_t qisock_base;

int qisock_chrdev_init(void)
{
	return alloc_chrdev_region(&qisock_base, 0,
				   QISOCK_MAX_DEVS * QISOCK_MINORS_PER_DEV,
				   QISOCK_CLASS);
}

void qisock_chrdev_exit(void)
{
	if (MAJOR(qisock_base))
		unregister_chrdev_region(qisock_base, QISOCK_MAX_DEVS *
					 QISOCK_MINORS_PER_DEV);
	qisock_base = 0;
}

/*
 * The mode and group of every node (control and socket) as the module
 * parameters node_mode and node_gid say; udev rules may change them later.
 * The owner stays root. @mode and friends are NULL when devtmpfs removes
 * the node.
 */
static char *qisock_devnode(QISOCK_DEVNODE_PARAMS)
{
	umode_t m;
	kgid_t g;

	qisock_node_perm(&m, &g);
	if (mode)
		*mode = m;
	if (gid)
		*gid = g;
	return NULL;	/* the name is the device's */
}

const struct device_type qisock_node_type = {
	.devnode	= qisock_devnode,
};

/**
 * qisock_devt() - the device number of a node.
 * @dev_id: M of qisock<M>.
 * @minor: 0 for the control node, 1 + N for socket N.
 *
 * Return: the number, or 0 when the modem gets no nodes.
 */
dev_t qisock_devt(int dev_id, int minor)
{
	if (!MAJOR(qisock_base) || dev_id < 0 || dev_id >= QISOCK_MAX_DEVS ||
	    minor >= QISOCK_MINORS_PER_DEV)
		return 0;
	return MKDEV(MAJOR(qisock_base), MINOR(qisock_base) +
		     dev_id * QISOCK_MINORS_PER_DEV + minor);
}

static struct qisock_file *qfile_new(struct qisock_dev *qd, bool ctl)
{
	struct qisock_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	get_device(&qd->dev);
	f->qd = qd;
	f->ctl = ctl;
	mutex_init(&f->lock);
	init_waitqueue_head(&f->wq);
	return f;
}

static void qfile_free(struct qisock_file *f)
{
	put_device(&f->qd->dev);
	mutex_destroy(&f->lock);
	kfree(f);
}

/*
 * Does @f still own @s? qisock_listen_urc_incoming() takes a connectID that a file claimed
 * but has not opened in the module (the module's assignment wins).
 */
static bool qfile_owns(struct qisock_file *f, struct qisock_sock *s)
{
	bool own;

	spin_lock(&s->lock);
	own = s->in_use && s->owner_wq == &f->wq;
	spin_unlock(&s->lock);
	return own;
}

/* f->lock held: forget a socket taken from the file; later calls get EBUSY. */
static void qfile_lose(struct qisock_file *f)
{
	qisock_sock_put(f->s);
	f->s = NULL;
	f->lost = true;
}

static int qisock_ctl_open(struct inode *inode, struct file *file)
{
	struct qisock_dev *qd = container_of(inode->i_cdev, struct qisock_dev,
					     cdev);
	struct qisock_file *f = qfile_new(qd, true);

	if (!f)
		return -ENOMEM;
	file->private_data = f;
	return stream_open(inode, file);
}

static int qisock_sockdev_open(struct inode *inode, struct file *file)
{
	struct qisock_sock *s = container_of(inode->i_cdev, struct qisock_sock,
					     cdev);
	struct qisock_sock *c;
	struct qisock_file *f;

	f = qfile_new(s->qd, false);
	if (!f)
		return -ENOMEM;
	c = qisock_sock_claim_for(s->qd, s->id, &f->wq);
	if (IS_ERR(c)) {
		qfile_free(f);
		return PTR_ERR(c);
	}
	f->s = c;
	file->private_data = f;
	return stream_open(inode, file);
}

static int qisock_file_release(struct inode *inode, struct file *file)
{
	struct qisock_file *f = file->private_data;
	struct qisock_sock *s = f->s;
	bool own = false;

	qisock_svc_release(f);
	if (s) {
		/* after this no wakeup of the socket reaches f->wq */
		spin_lock(&s->lock);
		own = s->in_use && s->owner_wq == &f->wq;
		if (s->owner_wq == &f->wq)
			s->owner_wq = NULL;
		spin_unlock(&s->lock);
		if (own)
			qisock_sock_release(s);
		qisock_sock_put(s);
	}
	qfile_free(f);
	return 0;
}

/*
 * The socket of a file, referenced; NULL (control node, no OPEN), or
 * ERR_PTR(-EBUSY) when the module gave its connectID to an incoming
 * connection.
 */
static struct qisock_sock *qfile_sock(struct qisock_file *f)
{
	struct qisock_sock *s;

	mutex_lock(&f->lock);
	if (f->s && !f->opening && !qfile_owns(f, f->s))
		qfile_lose(f);
	s = f->s;
	if (s)
		get_device(&s->dev);
	else if (f->lost)
		s = ERR_PTR(-EBUSY);
	mutex_unlock(&f->lock);
	return s;
}

/* The file's socket, referenced, or an error (no socket yet: ENOTCONN). */
static struct qisock_sock *qfile_sock_io(struct file *file)
{
	struct qisock_sock *s = qfile_sock(file->private_data);

	return s ? s : ERR_PTR(-ENOTCONN);
}

/* read(2) (@rbuf) or write(2) (@wbuf) on the file's socket. */
static ssize_t qisock_file_rw(struct file *file, char __user *rbuf,
			      const char __user *wbuf, size_t count)
{
	struct qisock_file *f = file->private_data;
	struct qisock_sock *s = qfile_sock_io(file);
	bool nonblock = file->f_flags & O_NONBLOCK;
	ssize_t ret;

	if (IS_ERR(s))
		return PTR_ERR(s);
	if (rbuf)
		ret = qisock_sock_read_for(s, rbuf, count, nonblock, &f->wq);
	else
		ret = qisock_sock_write_for(s, wbuf, count, nonblock, &f->wq);
	qisock_sock_put(s);
	return ret;
}

static ssize_t qisock_file_read(struct file *file, char __user *buf,
				size_t count, loff_t *ppos)
{
	return qisock_file_rw(file, buf, NULL, count);
}

static ssize_t qisock_file_write(struct file *file, const char __user *buf,
				 size_t count, loff_t *ppos)
{
	return qisock_file_rw(file, NULL, buf, count);
}

/*
 * f->wq is always registered, also on a control node before OPEN: epoll
 * queues its entry only at EPOLL_CTL_ADD. The socket wakes it with its own
 * queue (s->owner_wq), and OPEN wakes it when it has a socket.
 */
static __poll_t qisock_file_poll(struct file *file, poll_table *wait)
{
	struct qisock_file *f = file->private_data;
	struct qisock_sock *s;
	__poll_t mask;

	poll_wait(file, &f->wq, wait);
	s = qfile_sock(f);
	if (IS_ERR(s))
		return EPOLLERR | EPOLLHUP | EPOLLIN | EPOLLOUT;
	if (!s)
		return qisock_svc_poll(f);	/* a service request's result */
	poll_wait(file, &s->wq, wait);
	mask = qisock_sock_poll_mask(s);
	qisock_sock_put(s);
	return mask;
}

/* Retries of a connect_id -1 OPEN whose slot an incoming connection took. */
#define QISOCK_OPEN_RECLAIM	3

static long qisock_ioc_open(struct file *file, struct qisock_file *f,
			    void __user *argp)
{
	struct qisock_open req;
	struct qisock_sock *s;
	bool any, claimed, unclaim;
	int tries = 0;
	long ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	/* a host name without its NUL is refused, never cut short */
	if (!memchr(req.host, '\0', QISOCK_HOST_MAX + 1))
		return -EINVAL;
	if (req.connect_id < -1 || req.connect_id >= QISOCK_SOCK_MAX)
		return -EINVAL;
	any = req.connect_id == -1;

again:
	claimed = false;
	mutex_lock(&f->lock);
	if (f->s && !f->opening && !qfile_owns(f, f->s))
		qfile_lose(f);
	s = f->s;
	if (!s) {
		if (!f->ctl) {
			/* a socket node whose connectID was taken */
			mutex_unlock(&f->lock);
			return -EBUSY;
		}
		/* control node: claim the socket now */
		s = qisock_sock_claim_for(f->qd, any ? -1 : req.connect_id,
					  &f->wq);
		if (IS_ERR(s)) {
			mutex_unlock(&f->lock);
			return PTR_ERR(s);
		}
		f->s = s;
		f->lost = false;
		claimed = true;
	}
	f->opening++;
	get_device(&s->dev);
	mutex_unlock(&f->lock);

	if (req.connect_id == -1)
		req.connect_id = s->id;
	ret = qisock_sock_open(s, &req, file->f_flags & O_NONBLOCK);

	mutex_lock(&f->lock);
	f->opening--;
	unclaim = false;
	if (f->s == s && !qfile_owns(f, s)) {
		/* an incoming connection took the connectID: module wins */
		if (!f->opening)
			qfile_lose(f);
		ret = -EBUSY;
		if (claimed && any && !f->opening &&
		    ++tries <= QISOCK_OPEN_RECLAIM) {
			mutex_unlock(&f->lock);
			qisock_sock_put(s);
			req.connect_id = -1;
			goto again;
		}
	} else if (claimed && f->s == s && !f->opening && ret &&
		   ret != -EINPROGRESS) {
		/* nothing reached the module: give the slot back */
		spin_lock(&s->lock);
		unclaim = s->state == QISOCK_SS_FREE && !s->mod_held &&
			  s->in_use && s->owner_wq == &f->wq;
		if (unclaim) {
			s->in_use = false;
			s->owner_wq = NULL;
		}
		spin_unlock(&s->lock);
		if (unclaim) {
			f->s = NULL;
			qisock_sock_put(s);
		}
	}
	mutex_unlock(&f->lock);

	if ((!ret || ret == -EINPROGRESS) &&
	    copy_to_user(argp, &req, sizeof(req)))
		ret = -EFAULT;
	qisock_sock_put(s);
	wake_up_interruptible_all(&f->wq);	/* pollers registered before */
	return ret;
}

static const struct file_operations *qisock_anon_fops(void);

/*
 * Reserve the fd, take the connection, copy the result, and only then make
 * the file: a failure after the connection was taken puts it back at the
 * head of the listener's queue (or closes it when nobody listens).
 */
static long qisock_ioc_accept(struct file *file, struct qisock_sock *s,
			      void __user *argp)
{
	struct qisock_accept acc = { };
	struct qisock_sock *c = NULL;
	struct qisock_file *nf;
	struct file *nfile;
	int fd, ret;

	nf = qfile_new(s->qd, false);
	if (!nf)
		return -ENOMEM;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		qfile_free(nf);
		return fd;
	}
	ret = qisock_sock_accept_for(s, file->f_flags & O_NONBLOCK, &acc, &c,
				     &nf->wq);
	if (ret)
		goto err_fd;
	nf->s = c;
	if (copy_to_user(argp, &acc, sizeof(acc))) {
		ret = -EFAULT;
		goto err_conn;
	}
	nfile = anon_inode_getfile("[qisock]", qisock_anon_fops(), nf, O_RDWR);
	if (IS_ERR(nfile)) {
		ret = PTR_ERR(nfile);
		goto err_conn;
	}
	stream_open(file_inode(nfile), nfile);	/* as the device nodes are */
	fd_install(fd, nfile);
	return fd;

err_conn:
	qisock_sock_unaccept(s, c, &nf->wq);
	qisock_sock_put(c);
err_fd:
	put_unused_fd(fd);
	qfile_free(nf);
	return ret;
}

/*
 * QISOCK_IOC_SOCK_INFO: the INFO report of any connectID, on a control
 * node that is not a socket. A reference keeps the socket alive while it
 * is read; its owner is neither asked nor changed.
 */
static long qisock_ioc_sock_info(struct qisock_file *f, bool is_sock,
				 void __user *argp)
{
	struct qisock_info info;
	struct qisock_sock *s;
	__s32 id;

	if (!f->ctl || is_sock)
		return -ENOTTY;
	if (get_user(id, (__s32 __user *)argp))
		return -EFAULT;
	s = qisock_sock_get(f->qd, id);
	if (!s)
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	qisock_sock_info(s, &info);
	qisock_sock_put(s);
	return copy_to_user(argp, &info, sizeof(info)) ? -EFAULT : 0;
}

static long qisock_file_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct qisock_file *f = file->private_data;
	void __user *argp = (void __user *)arg;
	struct qisock_info info;
	struct qisock_sock *s;
	long ret, lost = 0;

	if (cmd == QISOCK_IOC_OPEN)
		return qisock_ioc_open(file, f, argp);
	ret = qisock_svc_ioctl(f, cmd, argp, file->f_flags & O_NONBLOCK);
	if (ret != -ENOIOCTLCMD)
		return ret;

	s = qfile_sock(f);
	if (IS_ERR(s)) {
		lost = PTR_ERR(s);	/* connectID taken: -EBUSY */
		s = NULL;
	}
	switch (cmd) {
	case QISOCK_IOC_INFO:
		memset(&info, 0, sizeof(info));
		if (s) {
			qisock_sock_info(s, &info);
		} else {
			info.connect_id = -1;
			info.state = lost ? QISOCK_SS_FAILED : QISOCK_SS_FREE;
			info.error = -lost;
		}
		ret = copy_to_user(argp, &info, sizeof(info)) ? -EFAULT : 0;
		break;
	case QISOCK_IOC_SOCK_INFO:
		ret = qisock_ioc_sock_info(f, s || lost, argp);
		break;
	case QISOCK_IOC_ACCEPT:
		ret = s ? qisock_ioc_accept(file, s, argp) : (lost ?: -EINVAL);
		break;
	case QISOCK_IOC_SET_MODE:
		ret = s ? qisock_sock_set_mode(s, arg) : (lost ?: -ENOTCONN);
		break;
	case FIONREAD:
		ret = s ? qisock_sock_nread(s) : lost;
		if (ret >= 0)
			ret = put_user((int)ret, (int __user *)argp);
		break;
	case TIOCOUTQ:
		ret = s ? qisock_sock_outq(s, file->f_flags & O_NONBLOCK) : lost;
		if (ret >= 0)
			ret = put_user((int)ret, (int __user *)argp);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	qisock_sock_put(s);
	return ret;
}

#ifdef CONFIG_COMPAT
/*
 * 32-bit callers: the structs have the same layout (see the uapi header);
 * SET_MODE's argument is a value, which compat_ptr() must not touch.
 */
static long qisock_file_compat_ioctl(struct file *file, unsigned int cmd,
				     unsigned long arg)
{
	if (cmd == QISOCK_IOC_SET_MODE)
		return qisock_file_ioctl(file, cmd, arg);
	return compat_ptr_ioctl(file, cmd, arg);
}
#else
#define qisock_file_compat_ioctl	NULL
#endif

/* The uapi layout is fixed: the same size on 32- and 64-bit user space. */
static_assert(sizeof(struct qisock_open) == 200);
static_assert(sizeof(struct qisock_dgram) == 72);
static_assert(sizeof(struct qisock_accept) == 96);
static_assert(sizeof(struct qisock_info) == 248);
static_assert(sizeof(struct qisock_resolve) == 696);
static_assert(sizeof(struct qisock_ping) == 1016);
static_assert(sizeof(struct qisock_ping_reply) == 80);
static_assert(sizeof(struct qisock_ntp) == 264);
static_assert(sizeof(struct qisock_error) == 112);

const struct file_operations qisock_ctl_fops = {
	.owner		= THIS_MODULE,
	.open		= qisock_ctl_open,
	.release	= qisock_file_release,
	.read		= qisock_file_read,
	.write		= qisock_file_write,
	.poll		= qisock_file_poll,
	.unlocked_ioctl	= qisock_file_ioctl,
	.compat_ioctl	= qisock_file_compat_ioctl,
	.llseek		= noop_llseek,
};
EXPORT_SYMBOL_IF_KUNIT(qisock_ctl_fops);

const struct file_operations qisock_sock_fops = {
	.owner		= THIS_MODULE,
	.open		= qisock_sockdev_open,
	.release	= qisock_file_release,
	.read		= qisock_file_read,
	.write		= qisock_file_write,
	.poll		= qisock_file_poll,
	.unlocked_ioctl	= qisock_file_ioctl,
	.compat_ioctl	= qisock_file_compat_ioctl,
	.llseek		= noop_llseek,
};
EXPORT_SYMBOL_IF_KUNIT(qisock_sock_fops);

static const struct file_operations qisock_accepted_fops = {
	.owner		= THIS_MODULE,
	.release	= qisock_file_release,
	.read		= qisock_file_read,
	.write		= qisock_file_write,
	.poll		= qisock_file_poll,
	.unlocked_ioctl	= qisock_file_ioctl,
	.compat_ioctl	= qisock_file_compat_ioctl,
	.llseek		= noop_llseek,
};

static const struct file_operations *qisock_anon_fops(void)
{
	return &qisock_accepted_fops;
}
