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

static struct qisock_file *qfile_new(struct qisock_dev *qd,
				     struct qisock_sock *s)
{
	struct qisock_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	get_device(&qd->dev);
	f->qd = qd;
	f->s = s;
	mutex_init(&f->lock);
	return f;
}

static int qisock_ctl_open(struct inode *inode, struct file *file)
{
	struct qisock_dev *qd = container_of(inode->i_cdev, struct qisock_dev,
					     cdev);
	struct qisock_file *f = qfile_new(qd, NULL);

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

	c = qisock_sock_claim(s->qd, s->id);
	if (IS_ERR(c))
		return PTR_ERR(c);
	f = qfile_new(s->qd, c);
	if (!f) {
		qisock_sock_unclaim(c);
		qisock_sock_put(c);
		return -ENOMEM;
	}
	file->private_data = f;
	return stream_open(inode, file);
}

static int qisock_file_release(struct inode *inode, struct file *file)
{
	struct qisock_file *f = file->private_data;

	if (f->s) {
		qisock_sock_release(f->s);
		qisock_sock_put(f->s);
	}
	put_device(&f->qd->dev);
	mutex_destroy(&f->lock);
	kfree(f);
	return 0;
}

/* The socket of a file, referenced, or NULL (control node, no OPEN). */
static struct qisock_sock *qfile_sock(struct qisock_file *f)
{
	struct qisock_sock *s;

	mutex_lock(&f->lock);
	s = f->s;
	if (s)
		get_device(&s->dev);
	mutex_unlock(&f->lock);
	return s;
}

static ssize_t qisock_file_read(struct file *file, char __user *buf,
				size_t count, loff_t *ppos)
{
	struct qisock_sock *s = qfile_sock(file->private_data);
	ssize_t ret;

	if (!s)
		return -ENOTCONN;
	ret = qisock_sock_read(s, buf, count, file->f_flags & O_NONBLOCK);
	qisock_sock_put(s);
	return ret;
}

static ssize_t qisock_file_write(struct file *file, const char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct qisock_sock *s = qfile_sock(file->private_data);
	ssize_t ret;

	if (!s)
		return -ENOTCONN;
	ret = qisock_sock_write(s, buf, count, file->f_flags & O_NONBLOCK);
	qisock_sock_put(s);
	return ret;
}

static __poll_t qisock_file_poll(struct file *file, poll_table *wait)
{
	struct qisock_sock *s = qfile_sock(file->private_data);
	__poll_t mask;

	if (!s)
		return 0;
	poll_wait(file, &s->wq, wait);
	mask = qisock_sock_poll_mask(s);
	qisock_sock_put(s);
	return mask;
}

static long qisock_ioc_open(struct file *file, struct qisock_file *f,
			    void __user *argp)
{
	struct qisock_open req;
	struct qisock_sock *s;
	long ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	req.host[sizeof(req.host) - 1] = '\0';
	if (req.connect_id < -1 || req.connect_id >= QISOCK_SOCK_MAX)
		return -EINVAL;

	mutex_lock(&f->lock);
	s = f->s;
	if (!s) {
		/* control node: claim the socket now */
		s = qisock_sock_claim(f->qd, req.connect_id);
		if (IS_ERR(s)) {
			mutex_unlock(&f->lock);
			return PTR_ERR(s);
		}
		f->s = s;
	} else if (req.connect_id == -1) {
		req.connect_id = s->id;
	}
	get_device(&s->dev);
	mutex_unlock(&f->lock);

	if (req.connect_id == -1)
		req.connect_id = s->id;
	ret = qisock_sock_open(s, &req, file->f_flags & O_NONBLOCK);
	if ((!ret || ret == -EINPROGRESS) &&
	    copy_to_user(argp, &req, sizeof(req)))
		ret = -EFAULT;
	qisock_sock_put(s);
	return ret;
}

static const struct file_operations *qisock_anon_fops(void);

static long qisock_ioc_accept(struct file *file, struct qisock_sock *s,
			      void __user *argp)
{
	struct qisock_accept acc = { };
	struct qisock_sock *c = NULL;
	struct qisock_file *nf;
	struct file *nfile;
	int fd, ret;

	ret = qisock_sock_accept(s, file->f_flags & O_NONBLOCK, &acc, &c);
	if (ret)
		return ret;
	nf = qfile_new(s->qd, c);
	if (!nf) {
		qisock_sock_unclaim(c);
		qisock_sock_put(c);
		return -ENOMEM;
	}
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		/* nobody owns it: it stays reachable at its node */
		nf->s = NULL;
		qisock_sock_unclaim(c);
		qisock_sock_put(c);
		put_device(&nf->qd->dev);
		kfree(nf);
		return fd;
	}
	nfile = anon_inode_getfile("[qisock]", qisock_anon_fops(), nf, O_RDWR);
	if (IS_ERR(nfile)) {
		put_unused_fd(fd);
		nf->s = NULL;
		qisock_sock_unclaim(c);
		qisock_sock_put(c);
		put_device(&nf->qd->dev);
		kfree(nf);
		return PTR_ERR(nfile);
	}
	if (copy_to_user(argp, &acc, sizeof(acc))) {
		put_unused_fd(fd);
		fput(nfile);		/* closes the connection */
		return -EFAULT;
	}
	fd_install(fd, nfile);
	return fd;
}

static long qisock_file_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct qisock_file *f = file->private_data;
	void __user *argp = (void __user *)arg;
	struct qisock_info info;
	struct qisock_sock *s;
	long ret;

	if (cmd == QISOCK_IOC_OPEN)
		return qisock_ioc_open(file, f, argp);

	s = qfile_sock(f);
	switch (cmd) {
	case QISOCK_IOC_INFO:
		memset(&info, 0, sizeof(info));
		if (s) {
			qisock_sock_info(s, &info);
		} else {
			info.connect_id = -1;
			info.state = QISOCK_SS_FREE;
		}
		ret = copy_to_user(argp, &info, sizeof(info)) ? -EFAULT : 0;
		break;
	case QISOCK_IOC_ACCEPT:
		ret = s ? qisock_ioc_accept(file, s, argp) : -EINVAL;
		break;
	case QISOCK_IOC_SET_MODE:
		ret = s ? qisock_sock_set_mode(s, arg) : -ENOTCONN;
		break;
	case FIONREAD:
		ret = s ? qisock_sock_nread(s) : 0;
		if (ret >= 0)
			ret = put_user((int)ret, (int __user *)argp);
		break;
	case TIOCOUTQ:
		ret = s ? qisock_sock_outq(s) : 0;
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

const struct file_operations qisock_ctl_fops = {
	.owner		= THIS_MODULE,
	.open		= qisock_ctl_open,
	.release	= qisock_file_release,
	.read		= qisock_file_read,
	.write		= qisock_file_write,
	.poll		= qisock_file_poll,
	.unlocked_ioctl	= qisock_file_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

const struct file_operations qisock_sock_fops = {
	.owner		= THIS_MODULE,
	.open		= qisock_sockdev_open,
	.release	= qisock_file_release,
	.read		= qisock_file_read,
	.write		= qisock_file_write,
	.poll		= qisock_file_poll,
	.unlocked_ioctl	= qisock_file_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static const struct file_operations qisock_accepted_fops = {
	.owner		= THIS_MODULE,
	.release	= qisock_file_release,
	.read		= qisock_file_read,
	.write		= qisock_file_write,
	.poll		= qisock_file_poll,
	.unlocked_ioctl	= qisock_file_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static const struct file_operations *qisock_anon_fops(void)
{
	return &qisock_accepted_fops;
}
