/* The built-in rules, embedded at build time with the assembler alone. */
	.section .rodata
	.global leakgate_rules_ini
	.type leakgate_rules_ini, @object
	.balign 16
leakgate_rules_ini:
	.incbin "config/rules.ini"
	.global leakgate_rules_ini_end
leakgate_rules_ini_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
