// Asynchronous preemption: a goroutine spins in a loop without a function call while the main
// goroutine allocates enough to run the garbage collector several times. The collector has to stop
// it: on Windows Go's runtime suspends its thread (SuspendThread), reads its context and
// sends it to asyncPreempt (SetThreadContext). Without that the program never ends.
package main

import (
	"fmt"
	"runtime"
	"sync/atomic"
)

var sink [][]byte

func spin(stop *int32, count *uint64) {
	var n uint64
	for atomic.LoadInt32(stop) == 0 {
		n++
	}
	atomic.AddUint64(count, n)
}

func main() {
	runtime.GOMAXPROCS(2)
	var stop int32
	var count uint64
	go spin(&stop, &count)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < 6000; i++ {
		sink = append(sink, make([]byte, 4096))
		if len(sink) > 256 {
			sink = sink[:0]
		}
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	atomic.StoreInt32(&stop, 1)
	fmt.Println("collections while goroutines spun:", after.NumGC-before.NumGC >= 2)
}
