//go:build !purego

#include "textflag.h"

// Lookup tables of the AVX2 base64 decoder (both 16-byte lanes alike).
// A byte c is an alphabet character iff lutlo[c&15] & luthi[c>>4] == 0;
// its 6-bit value is c + roll[(c>>4) - (c == '/')].
DATA b64lutlo<>+0(SB)/8, $0x1111111111111115
DATA b64lutlo<>+8(SB)/8, $0x1A1B1B1B1A131111
DATA b64lutlo<>+16(SB)/8, $0x1111111111111115
DATA b64lutlo<>+24(SB)/8, $0x1A1B1B1B1A131111
GLOBL b64lutlo<>(SB), RODATA|NOPTR, $32

DATA b64luthi<>+0(SB)/8, $0x0804080402011010
DATA b64luthi<>+8(SB)/8, $0x1010101010101010
DATA b64luthi<>+16(SB)/8, $0x0804080402011010
DATA b64luthi<>+24(SB)/8, $0x1010101010101010
GLOBL b64luthi<>(SB), RODATA|NOPTR, $32

// roll: 0, 16, 19, 4, -65, -65, -71, -71, then zeros.
DATA b64roll<>+0(SB)/8, $0xB9B9BFBF04131000
DATA b64roll<>+8(SB)/8, $0x0000000000000000
DATA b64roll<>+16(SB)/8, $0xB9B9BFBF04131000
DATA b64roll<>+24(SB)/8, $0x0000000000000000
GLOBL b64roll<>(SB), RODATA|NOPTR, $32

DATA b64nib<>+0(SB)/8, $0x0F0F0F0F0F0F0F0F
DATA b64nib<>+8(SB)/8, $0x0F0F0F0F0F0F0F0F
DATA b64nib<>+16(SB)/8, $0x0F0F0F0F0F0F0F0F
DATA b64nib<>+24(SB)/8, $0x0F0F0F0F0F0F0F0F
GLOBL b64nib<>(SB), RODATA|NOPTR, $32

DATA b64slash<>+0(SB)/8, $0x2F2F2F2F2F2F2F2F
DATA b64slash<>+8(SB)/8, $0x2F2F2F2F2F2F2F2F
DATA b64slash<>+16(SB)/8, $0x2F2F2F2F2F2F2F2F
DATA b64slash<>+24(SB)/8, $0x2F2F2F2F2F2F2F2F
GLOBL b64slash<>(SB), RODATA|NOPTR, $32

// Byte pairs a<<6 | b, then word pairs ab<<12 | cd.
DATA b64madd1<>+0(SB)/8, $0x0140014001400140
DATA b64madd1<>+8(SB)/8, $0x0140014001400140
DATA b64madd1<>+16(SB)/8, $0x0140014001400140
DATA b64madd1<>+24(SB)/8, $0x0140014001400140
GLOBL b64madd1<>(SB), RODATA|NOPTR, $32

DATA b64madd2<>+0(SB)/8, $0x0001100000011000
DATA b64madd2<>+8(SB)/8, $0x0001100000011000
DATA b64madd2<>+16(SB)/8, $0x0001100000011000
DATA b64madd2<>+24(SB)/8, $0x0001100000011000
GLOBL b64madd2<>(SB), RODATA|NOPTR, $32

// Each dword's three bytes in big-endian order, twelve a lane.
DATA b64pack<>+0(SB)/8, $0x090A040506000102
DATA b64pack<>+8(SB)/8, $0xFFFFFFFF0C0D0E08
DATA b64pack<>+16(SB)/8, $0x090A040506000102
DATA b64pack<>+24(SB)/8, $0xFFFFFFFF0C0D0E08
GLOBL b64pack<>(SB), RODATA|NOPTR, $32

// Dwords 0, 1, 2, 4, 5, 6: the two lanes' twelve bytes made contiguous.
DATA b64perm<>+0(SB)/8, $0x0000000100000000
DATA b64perm<>+8(SB)/8, $0x0000000400000002
DATA b64perm<>+16(SB)/8, $0x0000000600000005
DATA b64perm<>+24(SB)/8, $0x0000000700000003
GLOBL b64perm<>(SB), RODATA|NOPTR, $32

// func decodeAVX2(dst, src []byte) (nd, ns int)
TEXT ·decodeAVX2(SB), NOSPLIT, $0-64
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R8
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), R9
	XORQ AX, AX
	XORQ BX, BX
	VMOVDQU b64lutlo<>(SB), Y10
	VMOVDQU b64luthi<>(SB), Y11
	VMOVDQU b64roll<>(SB), Y12
	VMOVDQU b64nib<>(SB), Y13
	VMOVDQU b64slash<>(SB), Y14
	VMOVDQU b64madd1<>(SB), Y15
	VMOVDQU b64madd2<>(SB), Y9
	VMOVDQU b64pack<>(SB), Y8
	VMOVDQU b64perm<>(SB), Y7

loop:
	LEAQ 32(BX), CX
	CMPQ CX, R9
	JA   done
	LEAQ 24(AX), DX
	CMPQ DX, R8
	JA   done
	VMOVDQU (SI)(BX*1), Y0
	VPSRLD  $4, Y0, Y1
	VPAND   Y13, Y1, Y1 // high nibbles
	VPAND   Y13, Y0, Y2 // low nibbles
	VPSHUFB Y2, Y10, Y3
	VPSHUFB Y1, Y11, Y4
	VPTEST  Y4, Y3
	JNZ     done        // a byte outside the alphabet
	VPCMPEQB Y14, Y0, Y5
	VPADDB   Y5, Y1, Y5
	VPSHUFB  Y5, Y12, Y5
	VPADDB   Y5, Y0, Y0 // 6-bit values
	VPMADDUBSW Y15, Y0, Y0
	VPMADDWD   Y9, Y0, Y0
	VPSHUFB    Y8, Y0, Y0
	VPERMD     Y0, Y7, Y0
	VMOVDQU    X0, (DI)(AX*1)
	VEXTRACTI128 $1, Y0, X1
	VMOVQ      X1, 16(DI)(AX*1)
	MOVQ       CX, BX
	MOVQ       DX, AX
	JMP        loop

done:
	VZEROUPPER
	MOVQ AX, nd+48(FP)
	MOVQ BX, ns+56(FP)
	RET
