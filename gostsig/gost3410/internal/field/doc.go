// Package field implements arithmetic modulo the primes of the GOST R 34.10
// curves and modulo their group orders, as fixed arrays of 64-bit limbs
// specialised to each modulus (see gen.go, which writes the zz_*.go files).
//
// Fe* types are base-field elements (coordinates); Sc* types are scalars
// modulo a curve's group order q. All values are kept fully reduced, so two
// elements are equal iff their limbs are. Everything is variable-time and
// must only be used on public data: this package serves signature
// verification.
package field

//go:generate go run gen.go gen_asm.go
