// Many goroutines blocked on I/O at once: each reads from its own pipe, and the writer feeds them
// in reverse order; the readers' blocking reads must not stop the others.
package main

import (
	"fmt"
	"io"
	"os"
	"sync"
)

func main() {
	const n = 16
	var wg sync.WaitGroup
	got := make([]string, n)
	ws := make([]*os.File, n)
	for i := 0; i < n; i++ {
		r, w, err := os.Pipe()
		if err != nil {
			fmt.Println("pipe:", err)
			os.Exit(1)
		}
		ws[i] = w
		wg.Add(1)
		go func(i int, r *os.File) {
			defer wg.Done()
			b, _ := io.ReadAll(r)
			got[i] = string(b)
			r.Close()
		}(i, r)
	}
	for i := n - 1; i >= 0; i-- {
		fmt.Fprintf(ws[i], "message %d", i)
		ws[i].Close()
	}
	wg.Wait()
	for i := 0; i < n; i++ {
		fmt.Println(got[i])
	}
}
