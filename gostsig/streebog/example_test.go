package streebog_test

import (
	"fmt"
	"io"

	"gostsig.dev/gostsig/streebog"
)

func ExampleSum256() {
	sum := streebog.Sum256([]byte("abc"))
	fmt.Printf("%x\n", sum)
	// Output: 4e2919cf137ed41ec4fb6270c61826cc4fffb660341e0af3688cd0626d23b481
}

func ExampleNew512() {
	h := streebog.New512()
	io.WriteString(h, "ab")
	io.WriteString(h, "c")
	fmt.Printf("%x\n", h.Sum(nil))
	// Output: 28156e28317da7c98f4fe2bed6b542d0dab85bb224445fcedaf75d46e26d7eb8d5997f3e0915dd6b7f0aab08d9c8beb0d8c64bae2ab8b3c8c6bc53b3bf0db728
}

func ExampleSumBatch256() {
	msgs := [][]byte{[]byte("abc"), []byte(""), []byte("abc")}
	sums := make([][streebog.Size256]byte, len(msgs))
	streebog.SumBatch256(msgs, sums)
	for _, s := range sums {
		fmt.Printf("%x\n", s[:8])
	}
	// Output:
	// 4e2919cf137ed41e
	// 3f539a213e97c802
	// 4e2919cf137ed41e
}
