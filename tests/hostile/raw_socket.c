/* A raw IP socket and a packet socket. */
#include "hostile.h"
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main(void)
{
	if (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) >= 0)
		escaped("raw IP socket");
	verdict(socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)), "packet socket");
}
