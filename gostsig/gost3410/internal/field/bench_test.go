package field

import "testing"

func BenchmarkMul(b *testing.B) {
	b.Run("Fe256m617", func(b *testing.B) {
		var x, y Fe256m617
		x[0], y[0] = 12345, 67890
		x[3], y[3] = 1<<60, 1<<61
		for b.Loop() {
			x.Mul(&x, &y)
		}
	})
	b.Run("Fe256m617/Square", func(b *testing.B) {
		var x Fe256m617
		x[0], x[3] = 12345, 1<<60
		for b.Loop() {
			x.Square(&x)
		}
	})
	b.Run("Fe255p3225", func(b *testing.B) {
		var x, y Fe255p3225
		x[0], y[0] = 12345, 67890
		for b.Loop() {
			x.Mul(&x, &y)
		}
	})
	b.Run("Fe256cpc", func(b *testing.B) {
		var x, y Fe256cpc
		x[0], y[0] = 12345, 67890
		for b.Loop() {
			x.Mul(&x, &y)
		}
	})
	b.Run("Fe512m569", func(b *testing.B) {
		var x, y Fe512m569
		x[0], y[0] = 12345, 67890
		x[7], y[7] = 1<<60, 1<<61
		for b.Loop() {
			x.Mul(&x, &y)
		}
	})
	b.Run("Fe512m569/Square", func(b *testing.B) {
		var x Fe512m569
		x[0], x[7] = 12345, 1<<60
		for b.Loop() {
			x.Square(&x)
		}
	})
	b.Run("Fe511p111", func(b *testing.B) {
		var x, y Fe511p111
		x[0], y[0] = 12345, 67890
		for b.Loop() {
			x.Mul(&x, &y)
		}
	})
	b.Run("Fe256m617/Add", func(b *testing.B) {
		var x, y Fe256m617
		x[0], y[0] = 12345, 67890
		for b.Loop() {
			x.Add(&x, &y)
		}
	})
	b.Run("Sc256A/Invert", func(b *testing.B) {
		var x Sc256A
		x.SetOne()
		x.Double(&x)
		for b.Loop() {
			x.Invert(&x)
		}
	})
}

// BenchmarkInvert measures the divsteps inversion (with its check
// multiplication) on a fixed full-size input: a 256-bit CryptoPro-A scalar
// and a 512-bit tc26-512-A scalar, the e⁻¹ mod q of every verification.
func BenchmarkInvert(b *testing.B) {
	b.Run("ScCPA", func(b *testing.B) {
		x := ScCPA{0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9, 0x94d049bb133111eb, 0x2545f4914f6cdd1d}
		var z ScCPA
		for b.Loop() {
			z.Invert(&x)
		}
	})
	b.Run("Sc512A", func(b *testing.B) {
		x := Sc512A{0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9, 0x94d049bb133111eb, 0x2545f4914f6cdd1d,
			0xd6e8feb86659fd93, 0xa0761d6478bd642f, 0xe7037ed1a0b428db, 0x2d358dccaa6c78a5}
		var z Sc512A
		for b.Loop() {
			z.Invert(&x)
		}
	})
}

// BenchmarkDivsteps62 measures one batch of 62 divsteps, the serial part
// of invertVarTime (about 9 batches per 256-bit inversion).
func BenchmarkDivsteps62(b *testing.B) {
	in := [8][2]uint64{
		{0x45841b09b761b893, 0x9e3779b97f4a7c15}, {0xcacdb1411f10b275, 0xbf58476d1ce4e5b9},
		{0x9e3779b97f4a7c15, 0x94d049bb133111ea}, {0xbf58476d1ce4e5b9, 0x2545f4914f6cdd1d},
		{0x2545f4914f6cdd1d, 0xd6e8feb86659fd93}, {0xd6e8feb86659fd93, 0xa0761d6478bd642f},
		{0xa0761d6478bd642f, 0xe7037ed1a0b428db}, {0xe7037ed1a0b428db, 0x2d358dccaa6c78a5},
	}
	var sink int64
	i := 0
	for b.Loop() {
		p := &in[i&7]
		eta, t := divsteps62(int64(i&3)-2, p[0], p[1])
		sink += eta + t.u
		i++
	}
	_ = sink
}
