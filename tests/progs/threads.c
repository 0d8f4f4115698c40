/* Threads with TLS, a mutex and a condition variable; the result is deterministic. */
#include <pthread.h>
#include <stdio.h>

static __thread long mine = 100;
static long total;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *work(void *arg)
{
	long id = (long)arg;

	for (long i = 0; i < 100000; i++)
		mine += i % (id + 2);
	pthread_mutex_lock(&lock);
	total += mine;
	pthread_mutex_unlock(&lock);
	return (void *)mine;
}

int main(void)
{
	pthread_t t[8];
	long sum = 0;

	for (long i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, work, (void *)i);
	for (int i = 0; i < 8; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	printf("main tls=%ld sum=%ld total=%ld\n", mine, sum, total);
	return sum == total ? 0 : 1;
}
