/*
 * Every way a program sees its CPU affinity, read after enough system calls
 * for picovisor to co-schedule the run (when each call is traced): /proc
 * status (Cpus_allowed, Cpus_allowed_list) of the process and of the thread,
 * sched_getaffinity, and whether /proc/self/stat's processor is in the mask.
 * Then a sched_setaffinity the kernel refuses (the mask stays), and one it
 * takes, which must hold after co-scheduling ends. Natively and under
 * picovisor the output must be the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void busy(void)
{
	for (int i = 0; i < 30000; i++)
		syscall(SYS_getppid);
}

static void calm(void)
{
	struct timespec ts = { 0, 350 * 1000 * 1000 }; /* well over the 100 ms picovisor unpins after */

	nanosleep(&ts, NULL);
}

static void list_of(const cpu_set_t *set, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int c = 0; c < CPU_SETSIZE && len + 8 < size; c++)
		if (CPU_ISSET(c, set))
			len += (size_t)snprintf(buf + len, size - len, "%s%d", len ? "," : "", c);
}

static void status_lines(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("%s: %s\n", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Cpus_allowed", 12) == 0)
			printf("%s: %s", path, line);
	fclose(f);
}

/* The processor field of stat: the 39th, after the command in parentheses. */
static int stat_processor(void)
{
	char buf[1024], *p;
	int field = 2, cpu = -1;
	FILE *f = fopen("/proc/thread-self/stat", "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f) || !(p = strrchr(buf, ')'))) {
		fclose(f);
		return -1;
	}
	fclose(f);
	for (p++; *p && field < 39; p++)
		if (*p == ' ')
			field++;
	sscanf(p, "%d", &cpu);
	return cpu;
}

static void show(const char *when)
{
	cpu_set_t set;
	char list[1024];
	int cpu;

	printf("-- %s\n", when);
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		printf("sched_getaffinity: %s\n", strerror(errno));
	list_of(&set, list, sizeof(list));
	printf("sched_getaffinity: %s\n", list);
	status_lines("/proc/self/status");
	status_lines("/proc/thread-self/status");
	cpu = stat_processor();
	printf("stat processor in the mask: %s\n", cpu >= 0 && CPU_ISSET(cpu, &set) ? "yes" : "no");
}

int main(void)
{
	cpu_set_t set, empty;
	int last = -1;

	busy();
	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			last = c;
	CPU_ZERO(&empty);
	printf("refused set: %s\n", sched_setaffinity(0, sizeof(empty), &empty) < 0 ? strerror(errno) : "taken");
	busy();
	calm();
	busy();
	show("inherited, after a refused set");
	CPU_ZERO(&set);
	CPU_SET(last, &set);
	printf("own set: %s\n", sched_setaffinity(0, sizeof(set), &set) < 0 ? strerror(errno) : "taken");
	busy();
	show("its own");
	calm();
	show("its own, when the run computes");
	return 0;
}
