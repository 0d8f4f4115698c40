// A nil pointer dereference is a fault; Go's runtime turns it into a panic that recover() takes
// (on Windows through a vectored exception handler).
package main

import "fmt"

type node struct{ next *node; v int }

func main() {
	defer func() {
		fmt.Println("recovered:", recover())
	}()
	var n *node
	fmt.Println(n.v)
}
