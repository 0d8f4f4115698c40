/*
 * Tries network endpoints and says, one line each, what happened: "ok", the
 * errno's name, or "EINPROGRESS" (a non-blocking connect that was let out).
 * Each argument is OP:HOST:PORT, OP one of tcp-connect, udp-send, tcp-bind,
 * udp-bind; HOST an IPv4 address or [an IPv6 address].
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int endpoint(char *host, const char *port, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		host[strlen(host) - 1] = '\0';
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)atoi(port));
		*len = sizeof(*a);
		return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1 ? AF_INET6 : -1;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)atoi(port));
	*len = sizeof(*a);
	return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? AF_INET : -1;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *spec = strdup(argv[i]), *op = spec, *host, *port;
		struct sockaddr_storage ss;
		socklen_t len;
		int family, s, rc = 0;

		host = strchr(op, ':');
		port = host ? strrchr(host + 1, ':') : NULL;
		if (!host || !port) {
			printf("%s bad-spec\n", argv[i]);
			return 2;
		}
		*host++ = '\0';
		*port++ = '\0';
		family = endpoint(host, port, &ss, &len);
		if (family < 0) {
			printf("%s bad-address\n", argv[i]);
			return 2;
		}
		s = socket(family, strstr(op, "udp") ? SOCK_DGRAM : SOCK_STREAM, 0);
		if (s < 0)
			rc = -1;
		else if (strcmp(op, "tcp-connect") == 0) {
			fcntl(s, F_SETFL, O_NONBLOCK); /* an allowed far endpoint: EINPROGRESS, no waiting */
			rc = connect(s, (struct sockaddr *)&ss, len);
		} else if (strcmp(op, "udp-send") == 0)
			rc = (int)sendto(s, "x", 1, 0, (struct sockaddr *)&ss, len);
		else if (strcmp(op, "tcp-bind") == 0 || strcmp(op, "udp-bind") == 0)
			rc = bind(s, (struct sockaddr *)&ss, len);
		else {
			printf("%s bad-op\n", argv[i]);
			return 2;
		}
		printf("%s %s\n", argv[i], rc >= 0 ? "ok" : strerrorname_np(errno));
		if (s >= 0)
			close(s);
		free(spec);
	}
	return 0;
}
