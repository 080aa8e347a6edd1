/* The built-in rules and file policy, embedded at build time with the
 * assembler alone. */
	.section .rodata
	.global leakgate_rules_ini
	.type leakgate_rules_ini, @object
	.balign 16
leakgate_rules_ini:
	.incbin "config/rules.ini"
	.global leakgate_rules_ini_end
leakgate_rules_ini_end:
	.byte 0

/* The file policy (policy.c), the same way. */
	.global leakgate_policy_ini
	.type leakgate_policy_ini, @object
	.balign 16
leakgate_policy_ini:
	.incbin "config/policy.ini"
	.global leakgate_policy_ini_end
leakgate_policy_ini_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
