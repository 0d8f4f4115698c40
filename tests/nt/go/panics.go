// panic and recover: a recovered panic of our own, a runtime error (index out of range, an integer
// divided by zero: checked by the compiled code, not a fault) recovered, deferred calls in order,
// then a panic nobody recovers: the program ends with status 2 and Go's message on stderr.
package main

import (
	"fmt"
	"os"
)

func try(name string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println(name, "recovered:", r)
		}
	}()
	f()
}

func main() {
	try("own", func() { panic("boom") })
	try("index", func() {
		s := []int{1, 2, 3}
		i := len(os.Args) + 5
		_ = s[i]
	})
	try("divide", func() {
		z := len(os.Args) - 1
		fmt.Println(10 / z)
	})
	func() {
		for i := 0; i < 3; i++ {
			defer fmt.Println("deferred", i)
		}
	}()
	panic(fmt.Sprintf("unrecovered %d", 42))
}
