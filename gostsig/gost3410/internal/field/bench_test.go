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
