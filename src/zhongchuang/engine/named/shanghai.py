"""Shanghai cultivation (专业化、品牌化、国际化): basic conditions and yearly targets."""
