package c14n

// bindStack is a stack of namespace bindings (the in-scope namespaces of
// the parser and of canonicalization, the rendered ones of exclusive
// canonicalization) with an index from each prefix to its innermost
// binding. A lookup costs the same however many bindings are in scope: a
// document may hold MaxNamespacesInScope of them and hundreds of thousands
// of prefixed names, and a scan per name made such an input cost a
// thousand times more than an ordinary one.
type bindStack struct {
	b []binding
	// prev holds, for each entry of b, the index+1 of the binding of the
	// same prefix it shadows (0: none).
	prev []int32
	// top holds, for each prefix symbol, the index+1 in b of its innermost
	// binding (0: none). It grows with the symbols seen.
	top []int32
}

// reset empties s for a document with nsyms symbols.
func (s *bindStack) reset(nsyms int) {
	s.b, s.prev = s.b[:0], s.prev[:0]
	if cap(s.top) < nsyms {
		s.top = make([]int32, nsyms)
		return
	}
	s.top = s.top[:nsyms]
	clear(s.top)
}

func (s *bindStack) len() int { return len(s.b) }

func (s *bindStack) at(i int) binding { return s.b[i] }

// push makes x the innermost binding of its prefix.
func (s *bindStack) push(x binding) {
	if int(x.prefix) >= len(s.top) {
		s.top = append(s.top, make([]int32, int(x.prefix)+1-len(s.top))...)
	}
	s.prev = append(s.prev, s.top[x.prefix])
	s.b = append(s.b, x)
	s.top[x.prefix] = int32(len(s.b))
}

// pop removes the bindings from mark on, restoring what they shadowed.
func (s *bindStack) pop(mark int) {
	for i := len(s.b) - 1; i >= mark; i-- {
		s.top[s.b[i].prefix] = s.prev[i]
	}
	s.b, s.prev = s.b[:mark], s.prev[:mark]
}

// lookup returns the URI of the innermost binding of prefix.
func (s *bindStack) lookup(prefix int32) (uri int32, ok bool) {
	if prefix >= 0 && int(prefix) < len(s.top) {
		if i := s.top[prefix]; i > 0 {
			return s.b[i-1].uri, true
		}
	}
	return symEmpty, false
}
