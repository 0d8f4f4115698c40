/* sscanf/fscanf, tmpfile, threads with their own errno, the time functions: the same output on Linux. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _WIN32
#include <process.h>
#include <windows.h>
#else
#include <pthread.h>
#endif

#define THREADS 4
static int results[THREADS];

static void work(int i)
{
	long sum = 0;

	errno = 100 + i; /* each thread's errno is its own */
	for (int k = 0; k < 100000; k++)
		sum += k % (i + 2);
	results[i] = (int)(sum % 1000) * 10 + (errno == 100 + i);
}

#ifdef _WIN32
static unsigned __stdcall thread_main(void *p)
{
	work((int)(intptr_t)p);
	return 40 + (unsigned)(intptr_t)p;
}
#else
static void *thread_main(void *p)
{
	work((int)(intptr_t)p);
	return (void *)(intptr_t)(40 + (intptr_t)p);
}
#endif

int main(void)
{
	int a = 0, n, items;
	unsigned u = 0;
	long long big = 0;
	double d = 0;
	float fl = 0;
	char word[32] = "", rest[32] = "", set[32] = "", c3[4] = "";
	FILE *f;
	struct tm tm, *g;
	time_t t;
	char when[64];

	items = sscanf("  42 0x1f 123456789012 3.5e2 2.25 hello [abc]def xyz", "%d %x %lld %lf %f %31s [%31[a-z]]%3c%n", &a, &u, &big,
		       &d, &fl, word, set, c3, &n);
	printf("items %d: %d %u %lld %g %g %s %s %.3s consumed %d\n", items, a, u, big, d, (double)fl, word, set, c3, n);
	printf("mismatch %d, empty %d\n", sscanf("abc", "%d", &a), sscanf("", "%d", &a));
	items = sscanf("12-34", "%d-%d", &a, &n);
	printf("items %d: %d %d\n", items, a, n);
	items = sscanf("key = value;", "%31[^ =] = %31[^;]", word, rest);
	printf("items %d: [%s] [%s]\n", items, word, rest);

	f = tmpfile();
	if (!f) {
		printf("tmpfile failed\n");
		return 1;
	}
	fprintf(f, "10 20 thirty\n3.25\n");
	rewind(f);
	items = fscanf(f, "%d %d %31s %lf", &a, &n, word, &d);
	/* (what fscanf returns at the end after blanks is left out: EOF here and in glibc, 0 in Wine's msvcrt) */
	printf("fscanf items %d: %d %d %s %g\n", items, a, n, word, d);
	fclose(f);

	{
#ifdef _WIN32
		HANDLE h[THREADS];
		for (int i = 0; i < THREADS; i++)
			h[i] = (HANDLE)_beginthreadex(NULL, 0, thread_main, (void *)(intptr_t)i, 0, NULL);
		for (int i = 0; i < THREADS; i++) {
			DWORD code = 0;
			WaitForSingleObject(h[i], INFINITE);
			GetExitCodeThread(h[i], &code);
			CloseHandle(h[i]);
			printf("thread %d: %d exit %lu\n", i, results[i], (unsigned long)code);
		}
#else
		pthread_t th[THREADS];
		for (int i = 0; i < THREADS; i++)
			pthread_create(&th[i], NULL, thread_main, (void *)(intptr_t)i);
		for (int i = 0; i < THREADS; i++) {
			void *code;
			pthread_join(th[i], &code);
			printf("thread %d: %d exit %lu\n", i, results[i], (unsigned long)(intptr_t)code);
		}
#endif
	}

	t = 1700000000; /* 2023-11-14 22:13:20 UTC, a Tuesday */
	g = gmtime(&t);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %a %b %j %p", g);
	printf("gmtime: %s wday %d yday %d\n", when, g->tm_wday, g->tm_yday);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 124;
	tm.tm_mon = 13; /* February 2025 after normalising */
	tm.tm_mday = 29;
	tm.tm_hour = 12;
	t = mktime(&tm);
	printf("mktime normalised: %d-%02d-%02d wday %d\n", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_wday);
	printf("time() sane %d, clock() sane %d\n", time(NULL) > 1600000000, clock() >= 0);
	return 0;
}
