package boundedmap

import (
	"strconv"
	"strings"
	"testing"
)

func TestMapBounds(t *testing.T) {
	lim := Limits{Entries: 4, Bytes: 100}
	var m Map[int]
	for i := range 4 {
		m.Store(strconv.Itoa(i), i, 10, lim)
	}
	if n, b := m.Stats(); n != 4 || b != 40 {
		t.Fatalf("after 4 stores: %d entries, %d bytes", n, b)
	}
	if v, ok := m.Load([]byte("2")); !ok || v != 2 {
		t.Fatalf("Load(2) = %v, %v", v, ok)
	}
	// A key already present keeps its value and is not counted again.
	m.Store("2", 20, 10, lim)
	if v, _ := m.Load([]byte("2")); v != 2 {
		t.Fatalf("Store over a present key replaced it: %v", v)
	}
	if _, b := m.Stats(); b != 40 {
		t.Fatalf("Store over a present key counted %d bytes", b)
	}
	// A fifth entry passes Entries: the map starts over.
	m.Store("4", 4, 10, lim)
	if n, b := m.Stats(); n != 1 || b != 10 {
		t.Fatalf("over Entries: %d entries, %d bytes, want a fresh map of one", n, b)
	}
	if _, ok := m.Load([]byte("0")); ok {
		t.Fatal("an entry survived the start-over")
	}
	// Passing Bytes starts over too; an entry larger than Bytes is never kept.
	m.Store("big", 5, 95, lim)
	if n, b := m.Stats(); n != 1 || b != 95 {
		t.Fatalf("over Bytes: %d entries, %d bytes", n, b)
	}
	m.Store("huge", 6, 101, lim)
	if _, ok := m.Load([]byte("huge")); ok {
		t.Fatal("an entry larger than Limits.Bytes was kept")
	}
	if keys := m.Keys(); strings.Join(keys, ",") != "big" {
		t.Fatalf("keys %v, want [big]", keys)
	}
	// Bytes zero: only the entry count bounds.
	var u Map[int]
	for i := range 10 {
		u.Store(strconv.Itoa(i), i, 1<<30, Limits{Entries: 3})
		if n, _ := u.Stats(); n > 3 {
			t.Fatalf("%d entries over Entries 3", n)
		}
	}
}
