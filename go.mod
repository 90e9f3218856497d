module github.com/ssewasm/eventsource

go 1.24

require github.com/hack-pad/safejs v0.1.1
