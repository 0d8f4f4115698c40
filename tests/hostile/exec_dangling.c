/*
 * A filter of the program's own fails the call picovisor runs in the thread
 * to serve an exec (the stub's exec: ERRNO(EACCES) for every exec whose path
 * is not the program's own string, so execveat or execve alike), and at once
 * the thread makes a trapped call. ERRNO outranks picovisor's TRACE: no
 * seccomp stop comes for picovisor's call, and a supervisor that waits for
 * one takes the program's next call for it and lets it run unchecked. Each
 * action is that next call: chmod of an outside file, connect to the outside
 * unix socket, a UDP socket, prlimit64 and kill of a process outside, a read
 * of the secret, clone(CLONE_UNTRACED); "stub": memfd_create "returns" 0, an
 * O_PATH fd of the victim, so that a supervisor taking the memfd way writes
 * its stub into it; "traceword": the unchecked call installs, with TSYNC, a
 * TRACE|0 filter whose data word would speak for picovisor in another thread.
 * "benign": a filter that refuses execveat alone; the exec must still work.
 * argv[1]: the outside directory; argv[2]: the action; argv[3]: a pid or a UDP port.
 * NATIVE=1: no filter and no exec, the action's calls as they are (the native control).
 * Verdict: the exec's errno (EACCES, the filter's), then each refused call's.
 */
#include "hostile.h"
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

extern char **environ;

static char image[4096]; /* the exec's path: the only pointer the filter lets an exec name */
static int native;

#define LO(p) ((uint32_t)(uintptr_t)(p))
#define HI(p) ((uint32_t)((uintptr_t)(p) >> 32))

enum { FILTER_DANGLE, FILTER_BENIGN, FILTER_MEMFD };

/*
 * DANGLE: every exec but execve(image) fails with EACCES, memfd_create "succeeds" with 0;
 * BENIGN: execveat alone fails; MEMFD: memfd_create alone "succeeds" with 0.
 */
static void install(int which)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_execveat, 7, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_memfd_create, 7, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_execve, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LO(image), 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HI(image), 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES), /* execveat, or an exec of another string */
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),      /* memfd_create */
	};
	struct sock_filter only_execveat[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_execveat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter only_memfd[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_memfd_create, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { sizeof(f) / sizeof(f[0]), f };

	if (which == FILTER_BENIGN) {
		p.len = sizeof(only_execveat) / sizeof(only_execveat[0]);
		p.filter = only_execveat;
	} else if (which == FILTER_MEMFD) {
		p.len = sizeof(only_memfd) / sizeof(only_memfd[0]);
		p.filter = only_memfd;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p) < 0)
		cannot("installing the program's own filter");
}

/*
 * execve(image), then at once the call nr, with nothing between that could
 * stop: the exec's result is kept, nr's returned. If the exec came back to
 * the same place twice (a supervisor rewinding to it), nr is not made again.
 */
static long exec_ret;

static long dangle_then(long nr, long a0, long a1, long a2, long a3)
{
	static volatile char again;
	static char *av[3];
	register long r12 __asm__("r12") = nr;
	register long r13 __asm__("r13") = a0;
	register long r14 __asm__("r14") = a1;
	register long r15 __asm__("r15") = a2;
	register long rbx __asm__("rbx") = a3;
	long rax = SYS_execve, rdi = (long)image, rsi = (long)av, rdx = (long)environ;

	if (native)
		return syscall(nr, a0, a1, a2, a3);
	av[0] = image;
	av[1] = "exec'd";
	again = 0;
	exec_ret = 1;
	__asm__ volatile("syscall\n\t"
			 "cmpb $0, %[again]\n\t"
			 "jne 1f\n\t"
			 "movb $1, %[again]\n\t"
			 "mov %%rax, %[ret]\n\t"
			 "mov %%r12, %%rax\n\t"
			 "mov %%r13, %%rdi\n\t"
			 "mov %%r14, %%rsi\n\t"
			 "mov %%r15, %%rdx\n\t"
			 "mov %%rbx, %%r10\n\t"
			 "syscall\n\t"
			 "1:\n\t"
			 : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), [again] "+m"(again), [ret] "=m"(exec_ret)
			 : "r"(r12), "r"(r13), "r"(r14), "r"(r15), "r"(rbx)
			 : "rcx", "r8", "r9", "r10", "r11", "memory");
	if (!native) {
		/* The exec must have failed with the filter's own errno, and only once. */
		if (exec_ret >= 0 || exec_ret <= -4096) {
			printf("the exec returned %ld\n", exec_ret);
			escaped("the exec came back without the filter's errno");
		}
		note_refusal((int)-exec_ret);
	}
	if (rax < 0 && rax > -4096) {
		errno = (int)-rax;
		return -1;
	}
	return rax;
}

static const char *tw_path;
static int tw_pid, tw_go;
static long tw_rc[3];
static int tw_err[3];

static void *traceword_thread(void *arg)
{
	struct rlimit r = { 3, 3 };

	(void)arg;
	while (!__atomic_load_n(&tw_go, __ATOMIC_SEQ_CST))
		usleep(1000);
	tw_rc[0] = chmod(tw_path, 04777);
	tw_err[0] = errno;
	tw_rc[1] = syscall(SYS_prlimit64, tw_pid, RLIMIT_NOFILE, &r, NULL);
	tw_err[1] = errno;
	tw_rc[2] = kill(tw_pid, SIGCONT); /* harmless to the process, refused all the same */
	tw_err[2] = errno;
	return NULL;
}

static void act_traceword(const char *victim, int pid)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_chmod, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_kill, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_prlimit64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 0),
	};
	static struct sock_fprog p;
	pthread_t th;
	long rc = 0;

	p.len = sizeof(f) / sizeof(f[0]);
	p.filter = f;
	tw_path = victim;
	tw_pid = pid;
	if (pthread_create(&th, NULL, traceword_thread, NULL) != 0)
		cannot("pthread_create");
	if (!native) {
		install(FILTER_DANGLE);
		rc = dangle_then(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, (long)&p, 0);
		attempt(rc, "seccomp(TSYNC) of a TRACE|0 filter");
	}
	__atomic_store_n(&tw_go, 1, __ATOMIC_SEQ_CST);
	pthread_join(th, NULL);
	for (int i = 0; i < 3; i++) {
		errno = tw_err[i];
		attempt(tw_rc[i], i == 0 ? "chmod outside by another thread" : i == 1 ? "prlimit64 of an outside process"
											: "kill of an outside process");
	}
	refused_all("a TRACE filter installed through a dangling exec");
}

static void act_stub(const char *victim)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "/nonexistent/socket" };
	struct stat before, after;
	int v, s, fd;
	long rc;

	if (native) { /* natively the file is the user's to write */
		fd = open(victim, O_WRONLY);
		if (fd >= 0 && write(fd, "\177ELF", 4) == 4)
			escaped("wrote the victim");
		cannot("writing the victim natively");
	}
	v = open(victim, O_PATH);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (v < 0 || s < 0 || dup2(v, 0) < 0 || fstat(0, &before) < 0)
		cannot("an O_PATH fd of the victim as fd 0");
	install(FILTER_DANGLE);
	/* A trapped call the kernel fails with ENOENT: taken as "the shared stub may not be reached". */
	rc = dangle_then(SYS_connect, s, (long)&a, sizeof(a), 0);
	if (fstat(0, &after) < 0)
		cannot("fstat of the victim");
	if (after.st_size != before.st_size || after.st_mtim.tv_nsec != before.st_mtim.tv_nsec)
		escaped("the victim (an O_PATH fd, fd 0) was written");
	attempt(rc, "connect to a missing socket");
	refused_all("the victim is unchanged");
}

/*
 * No dangling job: memfd_create alone "returns" 0, an O_PATH fd of the victim,
 * and the exec goes on. Where the thread may not reach picovisor's own stub
 * (nobody under a sandbox), picovisor takes the memfd way and must not write
 * its stub into that fd; where it may, the exec simply works.
 */
static void act_memfd(const char *victim)
{
	char *av[] = { image, "exec'd-memfd", NULL };
	struct stat before, after;
	int v, err;

	if (native) {
		int fd = open(victim, O_WRONLY);

		if (fd >= 0 && write(fd, "\177ELF", 4) == 4)
			escaped("wrote the victim");
		cannot("writing the victim natively");
	}
	v = open(victim, O_PATH);
	if (v < 0 || dup2(v, 0) < 0 || fstat(0, &before) < 0)
		cannot("an O_PATH fd of the victim as fd 0");
	install(FILTER_MEMFD);
	execve(image, av, environ);
	err = errno;
	if (fstat(v, &after) < 0) /* v: fd 0 may have been closed as "the memfd" */
		cannot("fstat of the victim");
	if (after.st_size != before.st_size)
		escaped("the victim (an O_PATH fd, fd 0) was written");
	refused("the exec whose memfd_create a filter answered", err);
}

/*
 * "rewrite": the exec's syscall instruction sits in a writable page, and
 * another thread turns it into a jump to the next instruction while the exec
 * is being served. When picovisor re-executes that instruction as the stub's
 * exec, the thread runs on in the program with picovisor's registers and
 * makes the next call (chmod outside) from another syscall instruction: no
 * stop of the job's call ever comes. The rewrite is made once the thread is
 * seen in a ptrace stop (its exec's). Says how often the thread ran on that
 * way (the job was given up).
 */
static unsigned char *code;
static int rw_go, rw_done, rw_tid;

/* Is the thread in a ptrace stop (state t): its exec is being served? */
static int in_trace_stop(int tid)
{
	char path[64], buf[256], *p;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 't';
}

static void *rewriter(void *arg)
{
	(void)arg;
	for (;;) {
		while (!__atomic_load_n(&rw_go, __ATOMIC_SEQ_CST))
			usleep(50);
		if (rw_go < 0)
			return NULL;
		for (int i = 0; i < 20000 && !in_trace_stop(rw_tid); i++)
			;
		__atomic_store_n(&code[0], 0xeb, __ATOMIC_SEQ_CST); /* jmp +0: to the next instruction */
		__atomic_store_n(&code[1], 0x00, __ATOMIC_SEQ_CST);
		__atomic_store_n(&rw_go, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&rw_done, 1, __ATOMIC_SEQ_CST);
	}
}

static void act_rewrite(const char *victim)
{
	static const unsigned char body[] = {
		0x0f, 0x05,       /* syscall: execve(image) */
		0x49, 0x89, 0xc7, /* mov %rax, %r15: the exec's result */
		0x4c, 0x89, 0xe0, /* mov %r12, %rax */
		0x4c, 0x89, 0xef, /* mov %r13, %rdi */
		0x4c, 0x89, 0xf6, /* mov %r14, %rsi */
		0x0f, 0x05,       /* syscall: chmod(victim, 04777) */
		0xc3,             /* ret */
	};
	static char *av[3];
	struct stat st;
	pthread_t th;
	int v = open(victim, O_PATH), ran_on = 0, tries = native ? 1 : 40;

	code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (code == MAP_FAILED)
		cannot("a writable code page");
	memcpy(code, body, sizeof(body));
	av[0] = image;
	av[1] = "exec'd";
	rw_tid = (int)syscall(SYS_gettid);
	if (pthread_create(&th, NULL, rewriter, NULL) != 0)
		cannot("pthread_create");
	if (!native)
		install(FILTER_DANGLE);
	for (int i = 0; i < tries; i++) {
		register long r12 __asm__("r12") = SYS_chmod;
		register long r13 __asm__("r13") = (long)victim;
		register long r14 __asm__("r14") = 04777;
		register long r15 __asm__("r15") = 0;
		long rax = native ? SYS_getpid : SYS_execve, rdi = (long)image, rsi = (long)av, rdx = (long)environ;

		code[0] = 0x0f;
		code[1] = 0x05;
		rw_done = 0;
		__atomic_store_n(&rw_go, !native, __ATOMIC_SEQ_CST);
		__asm__ volatile("sub $128, %%rsp\n\t" /* the red zone */
				 "call *%[code]\n\t"
				 "add $128, %%rsp\n\t"
				 : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r15)
				 : "r"(r12), "r"(r13), "r"(r14), [code] "r"(code)
				 : "rcx", "r8", "r9", "r10", "r11", "memory");
		while (!native && !__atomic_load_n(&rw_done, __ATOMIC_SEQ_CST))
			usleep(50);
		ran_on += r15 == SYS_execve || r15 == SYS_execveat; /* the jump ran: rax still held the number picovisor set */
		/* The file itself: a supervisor that rewinds the thread could hide a chmod that ran. */
		if (v < 0 || fstat(v, &st) < 0)
			cannot("an O_PATH fd of the victim");
		if (st.st_mode & 04000)
			escaped("the victim is set-uid: the chmod ran");
		if (rax < 0 && rax > -4096) {
			errno = (int)-rax;
			rax = -1;
		}
		attempt(rax, "chmod outside, the exec's instruction rewritten");
		hostile_nerrs = hostile_nerrs > 1 ? 1 : hostile_nerrs; /* each distinct errno once */
	}
	__atomic_store_n(&rw_go, -1, __ATOMIC_SEQ_CST);
	pthread_join(th, NULL);
	printf("%d of %d execs ran on past their rewritten instruction\n", ran_on, tries);
	refused_all("chmod after a job whose call never came");
}

static void act_benign(char **argv)
{
	char *av[] = { image, "exec'd", NULL };

	install(FILTER_BENIGN);
	execve(image, av, environ);
	printf("exec with execveat refused by the program's filter: %s [errno %s]\n", strerror(errno),
	       strerrorname_np(errno));
	(void)argv;
	exit(3);
}

int main(int argc, char **argv)
{
	const char *victim = outside(argc, argv, "victim"), *act = argc > 2 ? argv[2] : "";
	static char path[4096];
	int pid = argc > 3 ? atoi(argv[3]) : 0;
	long rc;

	if (argc > 1 && !strcmp(argv[1], "exec'd")) {
		printf("exec'd\n");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "exec'd-memfd")) {
		struct stat st;

		if (fstat(0, &st) < 0)
			cannot("fstat of the victim after the exec");
		if (st.st_size != 7)
			escaped("the victim (an O_PATH fd, fd 0) was written");
		contained("the exec worked, the victim is unchanged");
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	native = getenv("NATIVE") != NULL;
	if (readlink("/proc/self/exe", image, sizeof(image) - 1) < 0)
		cannot("/proc/self/exe");
	snprintf(path, sizeof(path), "%s", victim);
	if (!strcmp(act, "benign"))
		act_benign(argv);
	if (!strcmp(act, "stub"))
		act_stub(path);
	if (!strcmp(act, "memfd"))
		act_memfd(path);
	if (!strcmp(act, "rewrite"))
		act_rewrite(path);
	if (!strcmp(act, "traceword"))
		act_traceword(path, pid);
	if (!native)
		install(FILTER_DANGLE);
	if (!strcmp(act, "chmod")) {
		rc = dangle_then(SYS_chmod, (long)path, 04777, 0, 0);
		attempt(rc, "chmod outside");
		refused_all("chmod outside after a failed exec");
	}
	if (!strcmp(act, "unix")) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		int s = socket(AF_UNIX, SOCK_STREAM, 0);

		snprintf(a.sun_path, sizeof(a.sun_path), "%s/sock", argv[1]);
		if (s < 0)
			cannot("socket(AF_UNIX)");
		rc = dangle_then(SYS_connect, s, (long)&a, sizeof(a), 0);
		attempt(rc, "connect to the outside unix socket");
		refused_all("an outside unix socket after a failed exec");
	}
	if (!strcmp(act, "udp")) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)pid) };
		int s;

		inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
		s = (int)dangle_then(SYS_socket, AF_INET, SOCK_DGRAM, 0, 0);
		attempt(s, "an IPv4 socket");
		if (sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)) == 1)
			escaped("sent a UDP datagram");
		refused_all("UDP after a failed exec");
	}
	if (!strcmp(act, "prlimit")) {
		struct rlimit r = { 64, 64 };

		rc = dangle_then(SYS_prlimit64, pid, RLIMIT_NOFILE, (long)&r, 0);
		attempt(rc, "prlimit64 of an outside process");
		refused_all("prlimit64 after a failed exec");
	}
	if (!strcmp(act, "kill")) {
		rc = dangle_then(SYS_kill, pid, SIGCONT, 0, 0);
		attempt(rc, "kill of an outside process");
		refused_all("kill after a failed exec");
	}
	if (!strcmp(act, "read")) {
		char buf[64];

		snprintf(path, sizeof(path), "%s", argc > 3 ? argv[3] : "secret/flag");
		rc = dangle_then(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0);
		attempt(rc, "open of the secret");
		if (read((int)rc, buf, sizeof(buf)) > 0)
			escaped("read the secret");
		refused_all("the secret after a failed exec");
	}
	if (!strcmp(act, "untraced")) {
		rc = dangle_then(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0);
		if (rc == 0)
			_exit(0);
		if (rc > 0)
			waitpid((pid_t)rc, NULL, 0);
		attempt(rc, "clone(CLONE_UNTRACED)");
		refused_all("an untraced child after a failed exec");
	}
	errno = EINVAL;
	cannot("usage: exec_dangling OUTSIDE_DIR chmod|unix|udp|prlimit|kill|read|untraced|stub|traceword|benign [PID|PORT]");
}
