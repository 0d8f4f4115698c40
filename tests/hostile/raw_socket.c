/* A raw IP socket and a packet socket. */
#include "hostile.h"
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main(void)
{
	attempt(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), "raw IP socket");
	attempt(socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)), "packet socket");
	refused_all("raw IP and packet sockets");
}
