// Start to exit of a Go program: the runtime's start-up and one line (bench/run --table wine).
package main

import "fmt"

func main() {
	fmt.Println("hello from Go")
}
