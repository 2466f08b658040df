echo commands are echoed
@echo not this one
if 1==1 (echo block) else (echo other)
