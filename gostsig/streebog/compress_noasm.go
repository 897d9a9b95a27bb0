package streebog

func compress(h, n, m *[8]uint64)             { compressGeneric(h, n, m) }
func blocks(h, n, sigma *[8]uint64, p []byte) { blocksGeneric(h, n, sigma, p) }
