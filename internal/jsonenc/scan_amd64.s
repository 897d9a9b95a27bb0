//go:build !purego

#include "textflag.h"

// func scanAVX2(s string) (j int, prev uint64, found bool)
TEXT ·scanAVX2(SB), NOSPLIT, $0-33
	MOVQ s_base+0(FP), SI
	MOVQ s_len+8(FP), R9
	XORQ BX, BX   // block start
	XORQ R10, R10 // 1 if the byte before the block is a lead byte
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

loop:
	LEAQ 32(BX), CX
	CMPQ CX, R9
	JA   tail
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
	JNZ       stop        // ASCII to escape; no leads, none before
	MOVQ      CX, BX
	JMP       loop

multi:
	VPCMPGTB  Y13, Y0, Y3 // x > C1, signed
	VPCMPGTB  Y0, Y14, Y4 // x < E0, signed
	VPAND     Y4, Y3, Y3
	VPMOVMSKB Y3, R11     // leads C2..DF
	VPCMPGTB  Y0, Y15, Y5 // x < C0, signed
	VPMOVMSKB Y5, R12     // continuations 80..BF
	ANDNL     AX, DX, AX  // AX &^= DX: ASCII to escape
	MOVL      R11, R13
	ORL       R12, R13
	ANDNL     DX, R13, R13 // ≥ 80 but neither lead nor continuation
	ORL       R13, AX
	MOVL      R11, R8
	SHLL      $1, R8
	ORL       R10, R8     // R8: the bytes a lead makes continuations
	MOVL      R12, R13
	XORL      R8, R13     // unpaired
	ORL       R13, AX
	JNZ       stop
	MOVL      R11, R10
	SHRL      $31, R10
	MOVQ      CX, BX
	JMP       loop

stop:
	// AX ≠ 0 flags the bad bytes; R8 the bytes leads make continuations
	// (zero on the ASCII path). The first bad byte, or the lead before it
	// when it breaks that lead's sequence.
	BSFL AX, AX
	BTL  AX, R8
	SBBQ $0, AX
	ADDQ BX, AX
	MOVQ AX, j+16(FP)
	MOVQ $0, prev+24(FP)
	MOVB $1, found+32(FP)
	VZEROUPPER
	RET

tail:
	SHLQ $7, R10
	MOVQ BX, j+16(FP)
	MOVQ R10, prev+24(FP)
	MOVB $0, found+32(FP)
	VZEROUPPER
	RET
