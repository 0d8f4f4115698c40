// Time: time.Sleep, time.After, a Ticker, a Timer stopped before it fires, and a timeout in select.
package main

import (
	"fmt"
	"time"
)

func main() {
	t0 := time.Now()
	time.Sleep(30 * time.Millisecond)
	d := time.Since(t0)
	fmt.Println("slept at least 30ms:", d >= 30*time.Millisecond, "and less than 2s:", d < 2*time.Second)

	select {
	case <-time.After(20 * time.Millisecond):
		fmt.Println("time.After fired")
	case <-time.After(5 * time.Second):
		fmt.Println("the wrong timer fired")
	}

	tk := time.NewTicker(10 * time.Millisecond)
	n := 0
	t1 := time.Now()
	for range tk.C {
		n++
		if n == 5 {
			break
		}
	}
	tk.Stop()
	fmt.Println("ticks:", n, "taking at least 40ms:", time.Since(t1) >= 40*time.Millisecond)

	fired := false
	tm := time.AfterFunc(50*time.Millisecond, func() { fired = true })
	fmt.Println("stopped before it fired:", tm.Stop())
	time.Sleep(80 * time.Millisecond)
	fmt.Println("the stopped timer ran:", fired)

	done := make(chan struct{})
	go func() {
		time.Sleep(10 * time.Millisecond)
		close(done)
	}()
	select {
	case <-done:
		fmt.Println("goroutine finished before the timeout")
	case <-time.After(3 * time.Second):
		fmt.Println("timeout")
	}

	// many sleeping goroutines all wake, none before its time (the order they wake in is left to
	// the scheduler: on a loaded machine it may differ from the order of their sleeps)
	type woke struct {
		ms    int
		early bool
	}
	order := make(chan woke, 50)
	for i := 0; i < 50; i++ {
		go func(ms int) {
			t := time.Now()
			time.Sleep(time.Duration(ms) * time.Millisecond)
			order <- woke{ms, time.Since(t) < time.Duration(ms)*time.Millisecond}
		}(10 + i%5*10)
	}
	sum, early := 0, 0
	for i := 0; i < 50; i++ {
		w := <-order
		sum += w.ms
		if w.early {
			early++
		}
	}
	fmt.Println("sleepers woke:", sum, "early:", early)
}
