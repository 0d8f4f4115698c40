// Goroutines and channels: a pipeline, a worker pool, a mutex-guarded counter, select with a
// default and with several ready channels, and a thousand goroutines blocking on channels at once.
package main

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
)

func pipeline(n int) int {
	src := make(chan int)
	sq := make(chan int)
	go func() {
		for i := 1; i <= n; i++ {
			src <- i
		}
		close(src)
	}()
	go func() {
		for v := range src {
			sq <- v * v
		}
		close(sq)
	}()
	sum := 0
	for v := range sq {
		sum += v
	}
	return sum
}

func pool(jobs, workers int) []int {
	in := make(chan int, jobs)
	out := make(chan int, jobs)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range in {
				out <- j * 3
			}
		}()
	}
	for j := 0; j < jobs; j++ {
		in <- j
	}
	close(in)
	wg.Wait()
	close(out)
	var r []int
	for v := range out {
		r = append(r, v)
	}
	sort.Ints(r)
	return r
}

func main() {
	runtime.GOMAXPROCS(4)
	fmt.Println("pipeline:", pipeline(1000))
	r := pool(100, 8)
	fmt.Println("pool:", len(r), r[0], r[99])

	var mu sync.Mutex
	var wg sync.WaitGroup
	count := 0
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 1000; k++ {
				mu.Lock()
				count++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	fmt.Println("counter:", count)

	c := make(chan int)
	select {
	case v := <-c:
		fmt.Println("unexpected", v)
	default:
		fmt.Println("select: default taken")
	}

	// a thousand goroutines each blocked on its own channel, released in a chain
	const n = 1000
	chans := make([]chan int, n+1)
	for i := range chans {
		chans[i] = make(chan int)
	}
	for i := 0; i < n; i++ {
		go func(i int) { chans[i+1] <- 1 + <-chans[i] }(i)
	}
	chans[0] <- 0
	fmt.Println("chain:", <-chans[n])
}
