//go:build !purego

#include "textflag.h"

// func goodPrefixAVX2(s string, i int) int
TEXT ·goodPrefixAVX2(SB), NOSPLIT, $0-32
	MOVQ s_base+0(FP), SI
	MOVQ s_len+8(FP), R9
	MOVQ i+16(FP), BX     // start of the block
	XORQ R10, R10         // 1 if the byte before the block is a lead byte
	MOVQ R9, DI
	SUBQ BX, DI           // bytes left
	JZ   end
	MOVL $0x20202020, AX
	MOVQ AX, X10
	VPBROADCASTD X10, Y10 // 0x20
	MOVL $0x22222222, AX
	MOVQ AX, X11
	VPBROADCASTD X11, Y11 // '"'
	MOVL $0x5C5C5C5C, AX
	MOVQ AX, X12
	VPBROADCASTD X12, Y12 // '\\'
	MOVL $0xC1C1C1C1, AX
	MOVQ AX, X13
	VPBROADCASTD X13, Y13 // C1 = -63
	MOVL $0xE0E0E0E0, AX
	MOVQ AX, X14
	VPBROADCASTD X14, Y14 // E0 = -32
	MOVL $0xC0C0C0C0, AX
	MOVQ AX, X15
	VPBROADCASTD X15, Y15 // C0 = -64
	CMPQ DI, $32
	JA   loop
	// 1-32 bytes in all: from s[i] unless 32 bytes from there cross a
	// page, else the 32 bytes that end s (then in s[i]'s page).
	LEAQ (SI)(BX*1), DX
	MOVL DX, AX
	ANDL $4095, AX
	CMPL AX, $(4096-32)
	JA   last
	VMOVDQU (DX), Y0
	MOVQ $32, CX
	SUBQ DI, CX           // the bytes past s to shift out
	MOVQ $1, SI           // first to the top of the masks
	JMP  final

loop: // more than 32 bytes left
	VMOVDQU   (SI)(BX*1), Y0
	VPCMPGTB  Y0, Y10, Y1 // x < 0x20, signed: controls and bytes ≥ 80
	VPCMPEQB  Y11, Y0, Y2
	VPOR      Y2, Y1, Y1
	VPCMPEQB  Y12, Y0, Y2
	VPOR      Y2, Y1, Y1
	VPMOVMSKB Y1, AX      // to escape, or ≥ 80
	VPMOVMSKB Y0, DX      // ≥ 80
	MOVL      DX, R8
	ORL       R10, R8
	JNZ       multi
	TESTL     AX, AX
	JNZ       stop        // ASCII to escape; no leads, none before (R8 = 0)
	JMP       next

multi:
	VPCMPGTB  Y13, Y0, Y3 // x > C1, signed
	VPCMPGTB  Y0, Y14, Y4 // x < E0, signed
	VPAND     Y4, Y3, Y3
	VPMOVMSKB Y3, R11     // leads C2..DF
	VPCMPGTB  Y0, Y15, Y5 // x < C0, signed
	VPMOVMSKB Y5, R12     // continuations 80..BF
	ANDNL     AX, DX, AX  // ASCII to escape
	MOVL      R11, R13
	ORL       R12, R13
	ANDNL     DX, R13, R13 // ≥ 80 but neither lead nor continuation
	ORL       R13, AX
	LEAL      (R10)(R11*2), R8 // the bytes leads make continuations
	MOVL      R12, R13
	XORL      R8, R13     // unpaired
	ORL       R13, AX
	JNZ       stop
	MOVL      R11, R10
	SHRL      $31, R10

next:
	ADDQ $32, BX
	SUBQ $32, DI
	CMPQ DI, $32
	JA   loop

last: // the last DI (1..32) bytes, as the 32 bytes that end s
	LEAQ -32(SI)(R9*1), DX
	VMOVDQU (DX), Y0
	MOVQ $32, CX
	SUBQ DI, CX           // the bytes already scanned to shift out
	XORQ SI, SI

final:
	// Masks of the 32 bytes loaded, shifted right by CX so that bit k is
	// s[BX+k], k < DI; the bits from DI up are clear, but for the lead
	// step's bit DI: s ends on a lead byte. Loaded from s[BX] (SI = 1),
	// the bytes past s are first shifted out at the top.
	VPCMPGTB  Y0, Y10, Y1
	VPCMPEQB  Y11, Y0, Y2
	VPOR      Y2, Y1, Y1
	VPCMPEQB  Y12, Y0, Y2
	VPOR      Y2, Y1, Y1
	VPMOVMSKB Y1, AX
	VPMOVMSKB Y0, DX
	VPCMPGTB  Y13, Y0, Y3
	VPCMPGTB  Y0, Y14, Y4
	VPAND     Y4, Y3, Y3
	VPMOVMSKB Y3, R11
	VPCMPGTB  Y0, Y15, Y5
	VPMOVMSKB Y5, R12
	TESTQ     SI, SI
	JZ        aligned
	SHLL      CX, AX
	SHLL      CX, DX
	SHLL      CX, R11
	SHLL      CX, R12

aligned:
	SHRQ      CX, AX
	SHRQ      CX, DX
	SHRQ      CX, R11
	SHRQ      CX, R12
	ANDNQ     AX, DX, AX
	MOVQ      R11, R13
	ORQ       R12, R13
	ANDNQ     DX, R13, R13
	ORQ       R13, AX
	LEAQ      (R10)(R11*2), R8
	MOVQ      R12, R13
	XORQ      R8, R13
	ORQ       R13, AX
	JNZ       stop
	VZEROUPPER

end:
	MOVQ R9, ret+24(FP)
	RET

stop:
	// AX ≠ 0 flags the bad bytes, R8 the bytes leads make continuations:
	// the first bad byte, or the lead before it when it breaks that
	// lead's sequence.
	VZEROUPPER
	BSFQ AX, AX
	BTQ  AX, R8
	SBBQ $0, AX
	ADDQ BX, AX
	MOVQ AX, ret+24(FP)
	RET
