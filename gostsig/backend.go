package gostsig

func (v *Verifier) initBackend() error { return nil }
