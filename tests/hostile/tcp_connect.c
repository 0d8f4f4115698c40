/* A TCP connection to a listener on loopback (argv[2]: its port). */
#include "hostile.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int s;

	if (argc < 3)
		cannot("usage");
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		refused("a TCP socket", errno);
	a.sin_port = htons((uint16_t)atoi(argv[2]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	verdict(connect(s, (struct sockaddr *)&a, sizeof(a)), "TCP connect to loopback");
}
