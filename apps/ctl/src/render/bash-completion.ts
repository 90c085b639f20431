// The bash completion script (`fortctl completion bash`), generated from the command table so it never drifts.

export interface CompletionEntry {
  name: string;
  /** Flags of the command, as typed (`--wait`, `-f`). */
  flags: readonly string[];
  /** Words for its first argument (subcommands). */
  words?: readonly string[];
  /** Its arguments are service names (asked of init with `fortctl completion services`). */
  services?: boolean;
}

const quote = (words: readonly string[]): string => words.join(' ').replace(/[^\w .,:/=-]/g, '');

/** The script: `eval "$(fortctl completion bash)"` in ~/.bashrc. Global flags with a value skip that value. */
export function bashCompletion(commands: readonly CompletionEntry[], globalFlags: readonly string[], valueFlags: readonly string[]): string {
  const cases = commands.map((c) => {
    const words = c.words?.length ? ` words="${quote(c.words)}";` : '';
    return `    ${c.name}) flags="${quote(c.flags)}";${words}${c.services ? ' services=1;' : ''} ;;`;
  });
  return [
    '# bash completion for fortctl: eval "$(fortctl completion bash)"',
    '_fortctl() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  local i cmd="" nargs=0 flags="" words="" services=0',
    '  local -a where=()',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    case "${COMP_WORDS[i]}" in',
    `      ${valueFlags.map((f) => `--${f}`).join('|')}) where+=("${'${COMP_WORDS[i]}'}" "${'${COMP_WORDS[i+1]}'}"); ((i++)) ;;`,
    '      -*) ;;',
    '      *) if [[ -z "$cmd" ]]; then cmd="${COMP_WORDS[i]}"; else ((nargs++)); fi ;;',
    '    esac',
    '  done',
    '  case "$prev" in',
    '    --root) COMPREPLY=($(compgen -d -- "$cur")); return ;;',
    '    --socket) COMPREPLY=($(compgen -f -- "$cur")); return ;;',
    `    ${valueFlags.filter((f) => f !== 'root' && f !== 'socket').map((f) => `--${f}`).join('|') || '--timeout'}) return ;;`,
    '  esac',
    `  local globals="${quote(globalFlags.map((f) => `--${f}`))}"`,
    '  if [[ -z "$cmd" ]]; then',
    `    if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$globals" -- "$cur")); else COMPREPLY=($(compgen -W "${quote(commands.map((c) => c.name))} help" -- "$cur")); fi`,
    '    return',
    '  fi',
    '  case "$cmd" in',
    ...cases,
    `    help) words="${quote(commands.map((c) => c.name))}" ;;`,
    '  esac',
    '  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$flags $globals" -- "$cur")); return; fi',
    '  if [[ -n "$words" && $nargs -eq 0 ]]; then COMPREPLY=($(compgen -W "$words" -- "$cur")); return; fi',
    '  if [[ $services -eq 1 ]]; then',
    '    COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "${where[@]}" completion services 2>/dev/null)" -- "$cur"))',
    '  fi',
    '}',
    'complete -F _fortctl fortctl',
  ].join('\n');
}
