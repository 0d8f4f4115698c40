/* A netlink route socket (the kernel's configuration interface). */
#include "hostile.h"
#include <linux/netlink.h>
#include <sys/socket.h>

int main(void)
{
	verdict(socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), "netlink socket");
}
