// server.go — does a browser's fetch() body reader receive the last bytes of an
// event stream when the server drops the TCP connection right after writing them?
//
// Run:  go run server.go -browser chromium   (or firefox-esr; or none, then open the URL
// it prints). Flags: -trials 100 -conc 2 -modes abcdefghi -strats a,b -timeout 8m.
// A full run (all strategies x 8 modes x 100) takes ~6 min; split it with -modes/-strats,
// e.g.  go run server.go -browser chromium -modes gh -conc 1 -strats loop,pending-K1,pending-K8
//
// The server serves page.html at /, the stream at /drop?n=N&mode=M, and
// takes the page's JSON results at POST /results, prints a table and exits.
//
// /drop answers 200 text/event-stream (chunked, HTTP/1.1), flushes headers, writes
// events "id: <i>\ndata: <payload>\n\n" one per Write+Flush (= one HTTP chunk each),
// and after the last one hijacks the connection and closes it WITHOUT the terminating
// 0-length chunk, so the browser sees the body end in a network error.
// Modes:
//
//	a  last event in its own write+flush, then Close at once (FIN)
//	b  last three events in separate flushes ~300µs apart (within ~1 ms), then Close
//	c  last event, flush, sleep 1 ms, then Close
//	d  like a, but SetLinger(0) before Close → RST instead of FIN
//	e  control: last event, flush, sleep 20 ms, then Close
//	f  like b but with RST
//	g  last three events in separate flushes back to back (no sleep), then Close
//	h  like g but with RST
//	i  the headers and every event in one write, then Close at once: what a server that
//	   answers a reconnection with the events it has and then breaks sends
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// event returns the bytes of event i (deterministic, so the page can compare).
func event(i int) string {
	return fmt.Sprintf("id: %d\ndata: payload-%d-%s\n\n", i, i, strings.Repeat("x", 40))
}

type modeStats struct{ reqs, bytesOK, writeErrs, eventsSent int }

var (
	mu    sync.Mutex
	stats = map[string]*modeStats{}
)

func drop(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	if n < 4 {
		n = 4
	}
	mode := r.URL.Query().Get("mode")
	total := 0
	for i := 1; i <= n; i++ {
		total += len(event(i))
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Total-Bytes", strconv.Itoa(total)) // lets the page count missing bytes
	h.Set("Access-Control-Expose-Headers", "X-Total-Bytes")
	w.WriteHeader(200)
	rc := http.NewResponseController(w)
	if mode == "i" {
		var all strings.Builder
		for i := 1; i <= n; i++ {
			all.WriteString(event(i))
		}
		io.WriteString(w, all.String())
		rc.Flush() // the headers and the body in one write
		if conn, _, err := rc.Hijack(); err == nil {
			conn.Close()
		}
		mu.Lock()
		if stats[mode] == nil {
			stats[mode] = &modeStats{}
		}
		stats[mode].reqs++
		stats[mode].eventsSent += n
		mu.Unlock()
		return
	}
	rc.Flush()

	st := &modeStats{}
	// How many trailing events go out in quick succession (no 5 ms gap before them).
	burst, gap := 1, 0*time.Microsecond
	switch mode {
	case "b", "f":
		burst, gap = 3, 300*time.Microsecond
	case "g", "h":
		burst, gap = 3, 0
	}
	for i := 1; i <= n; i++ {
		if i <= n-burst {
			time.Sleep(5 * time.Millisecond) // earlier events: well separated
		} else if i > n-burst+1 {
			if gap > 0 {
				time.Sleep(gap) // burst: within ~1 ms
			}
		} else {
			time.Sleep(5 * time.Millisecond)
		}
		k, err := io.WriteString(w, event(i))
		st.bytesOK += k
		if err == nil {
			err = rc.Flush() // one HTTP chunk per event, on the wire now
		}
		if err != nil {
			st.writeErrs++
			break
		}
		st.eventsSent++
	}
	// Hijack flushes what the chunk writer holds but never writes the final "0\r\n\r\n".
	conn, _, err := rc.Hijack()
	if err != nil {
		log.Printf("hijack: %v", err)
		return
	}
	switch mode {
	case "c":
		time.Sleep(time.Millisecond)
	case "e":
		time.Sleep(20 * time.Millisecond)
	case "d", "f", "h":
		conn.(*net.TCPConn).SetLinger(0) // Close sends RST
	}
	conn.Close()
	mu.Lock()
	s := stats[mode]
	if s == nil {
		s = &modeStats{}
		stats[mode] = s
	}
	s.reqs++
	s.bytesOK += st.bytesOK
	s.writeErrs += st.writeErrs
	s.eventsSent += st.eventsSent
	mu.Unlock()
}

// Trial is one row the page posts.
type Trial struct {
	Strategy   string `json:"s"`
	Mode       string `json:"m"`
	End        string `json:"end"` // "error" | "done" | "timeout" | "unsupported"
	GotLast    bool   `json:"last"`
	Missing    []int  `json:"miss"` // ids not received
	MissBytes  int    `json:"mb"`   // total - received bytes
	ChunksSeen int    `json:"ch"`
}
type Results struct {
	UA     string   `json:"ua"`
	N      int      `json:"n"`
	Strats []string `json:"strats"` // in page order
	Trials []Trial  `json:"trials"`
}

func main() {
	browser := flag.String("browser", "chromium", "chromium | firefox-esr | none")
	trials := flag.Int("trials", 100, "trials per strategy x mode")
	conc := flag.Int("conc", 2, "trials in parallel in the page")
	modes := flag.String("modes", "abcdefghi", "server variants to test")
	strats := flag.String("strats", "", "comma list of strategies (default: all in page.html)")
	page := flag.String("page", "page.html", "the HTML page to serve at /")
	timeout := flag.Duration("timeout", 8*time.Minute, "bound for the whole run (browser killed after)")
	flag.Parse()

	done := make(chan Results, 1)
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, *page) })
	http.HandleFunc("/drop", drop)
	http.HandleFunc("/results", func(w http.ResponseWriter, r *http.Request) {
		var res Results
		if err := json.NewDecoder(r.Body).Decode(&res); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		w.Write([]byte("ok"))
		done <- res
	})
	http.HandleFunc("/log", func(w http.ResponseWriter, r *http.Request) { // page progress
		b, _ := io.ReadAll(r.Body)
		log.Printf("page: %s", b)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, nil)
	url := fmt.Sprintf("http://%s/?trials=%d&conc=%d&modes=%s&strats=%s", ln.Addr(), *trials, *conc, *modes, neturl.QueryEscape(*strats))
	log.Printf("page: %s", url)

	var cmd *exec.Cmd
	if *browser != "none" {
		dir, _ := os.MkdirTemp("/tmp/dropexp", "profile-")
		defer os.RemoveAll(dir)
		switch *browser {
		case "chromium":
			cmd = exec.Command("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--user-data-dir="+dir, url)
		default:
			cmd = exec.Command(*browser, "--headless", "--no-remote", "--profile", dir, url)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so we can kill its whole group
		if v, err := exec.Command(*browser, "--version").Output(); err == nil {
			log.Printf("browser: %s", strings.TrimSpace(string(v)))
		}
		if err := cmd.Start(); err != nil {
			log.Fatal(err)
		}
		defer func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() }()
	}

	select {
	case res := <-done:
		report(res)
	case <-time.After(*timeout):
		log.Printf("timeout: no results")
	}
	mu.Lock()
	for _, m := range sortedKeys(stats) {
		s := stats[m]
		fmt.Printf("server mode %s: %d responses, %d events sent, %d bytes written, %d write errors\n",
			m, s.reqs, s.eventsSent, s.bytesOK, s.writeErrs)
	}
	mu.Unlock()
}

func sortedKeys[V any](m map[string]V) []string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return k
}

func report(res Results) {
	fmt.Printf("UA: %s\nevents per stream: %d\n", res.UA, res.N)
	type cell struct {
		n, lost    int
		ends       map[string]int
		missEvents map[int]int // #missing events -> count (among losses)
	}
	cells := map[string]*cell{}
	var strategies []string
	modeSet := map[string]bool{}
	for _, t := range res.Trials {
		k := t.Strategy + "|" + t.Mode
		c := cells[k]
		if c == nil {
			c = &cell{ends: map[string]int{}, missEvents: map[int]int{}}
			cells[k] = c
			found := false
			for _, s := range strategies {
				found = found || s == t.Strategy
			}
			if !found {
				strategies = append(strategies, t.Strategy)
			}
		}
		modeSet[t.Mode] = true
		c.n++
		c.ends[t.End]++
		if !t.GotLast {
			c.lost++
			c.missEvents[len(t.Missing)]++
		}
	}
	if len(res.Strats) == len(strategies) {
		strategies = res.Strats
	}
	modes := sortedKeys(modeSet)
	fmt.Printf("\nlast event lost / trials  (per server mode)\n%-22s", "strategy")
	for _, m := range modes {
		fmt.Printf(" %12s", "mode "+m)
	}
	fmt.Println()
	for _, s := range strategies {
		fmt.Printf("%-22s", s)
		for _, m := range modes {
			c := cells[s+"|"+m]
			if c == nil {
				fmt.Printf(" %12s", "-")
				continue
			}
			fmt.Printf(" %12s", fmt.Sprintf("%d/%d", c.lost, c.n))
		}
		fmt.Println()
	}
	fmt.Println("\ndetails (ends = how the body ended; miss = #missing events -> #trials, among losses)")
	for _, s := range strategies {
		for _, m := range modes {
			c := cells[s+"|"+m]
			if c == nil {
				continue
			}
			fmt.Printf("%-22s %s  ends=%v  miss=%v\n", s, m, c.ends, c.missEvents)
		}
	}
}
