import { describe, expect, it } from 'vitest';
import {
  languageOf,
  streamLanguageOf,
  tokenize,
  type DotfileToken,
} from '../../../../renderer/src/features/dotfiles/dotfile-languages';

/** The tokens of `text` that got `style`. */
const styled = (tokens: readonly DotfileToken[], style: string): string[] =>
  tokens.filter((t) => t.style === style).map((t) => t.text);

describe('languageOf', () => {
  it.each([
    ['.bashrc', 'shell'],
    ['.profile', 'shell'],
    ['.bash_profile', 'shell'],
    ['.zshrc', 'shell'],
    ['bin/setup.sh', 'shell'],
    ['/etc/bash.bashrc', 'shell'],
    ['/etc/profile', 'shell'],
    ['/etc/profile.d/lab.sh', 'shell'],
    ['.inputrc', 'shell'],
    ['.vimrc', 'vim'],
    ['/etc/vim/vimrc.local', 'vim'],
    ['.vim/plugin/mine.vim', 'vim'],
    ['.tmux.conf', 'tmux'],
    ['/etc/tmux.conf', 'tmux'],
    ['.gitconfig', 'ini'],
    ['.config/git/config', 'ini'],
    ['/etc/gitconfig', 'ini'],
    ['.config/pip/pip.conf', 'ini'],
    ['.pylintrc.ini', 'ini'],
    ['setup.cfg', 'ini'],
    ['.condarc', 'plain'],
    ['notes.txt', 'plain'],
  ])('%s is highlighted as %s', (path, kind) => {
    expect(languageOf(path)).toBe(kind);
  });

  it('gives every kind but plain text a CodeMirror language, made once', () => {
    expect(streamLanguageOf('plain')).toBeNull();
    for (const kind of ['shell', 'vim', 'tmux', 'ini'] as const) {
      expect(streamLanguageOf(kind)).not.toBeNull();
      expect(streamLanguageOf(kind)).toBe(streamLanguageOf(kind));
    }
  });
});

describe('the vim mode', () => {
  it('tells comments from strings by the closing quote', () => {
    const tokens = tokenize(
      'vim',
      ['" my vimrc', 'set number " line numbers', 'let g:name = "ada" " who'].join('\n'),
    );
    expect(styled(tokens, 'comment')).toEqual(['" my vimrc', '" line numbers', '" who']);
    expect(styled(tokens, 'string')).toEqual(['"ada"']);
    expect(styled(tokens, 'variableName')).toEqual(['g:name']);
  });

  it('marks the commands of a vimrc as keywords, with their bang', () => {
    const tokens = tokenize(
      'vim',
      [
        'syntax on',
        'filetype plugin indent on',
        'nnoremap <leader>w :w<CR>',
        'autocmd FileType python setlocal sw=4',
        'if has("mouse")',
        '  set mouse=a',
        'endif',
        'function! Trim()',
        'endfunction',
      ].join('\n'),
    );
    expect(styled(tokens, 'keyword')).toEqual([
      'syntax',
      'filetype',
      'nnoremap',
      'autocmd',
      'setlocal',
      'if',
      'set',
      'endif',
      'function!',
      'endfunction',
    ]);
    expect(styled(tokens, 'atom')).toEqual(['<leader>', '<CR>']);
    expect(styled(tokens, 'string')).toEqual(['"mouse"']);
    expect(styled(tokens, 'number')).toEqual(['4']);
  });
});

describe('the tmux mode', () => {
  it('marks commands, flags, strings, numbers and comments', () => {
    const tokens = tokenize(
      'tmux',
      [
        '# prefix',
        'set -g prefix C-a',
        'set-option -g history-limit 50000',
        "bind r source-file ~/.tmux.conf \\; display 'reloaded'",
        'unbind C-b # the old prefix',
      ].join('\n'),
    );
    expect(styled(tokens, 'comment')).toEqual(['# prefix', '# the old prefix']);
    expect(styled(tokens, 'keyword')).toEqual([
      'set',
      'set-option',
      'bind',
      'source-file',
      'display',
      'unbind',
    ]);
    expect(styled(tokens, 'attribute')).toEqual(['-g', '-g']);
    expect(styled(tokens, 'string')).toEqual(["'reloaded'"]);
    expect(styled(tokens, 'number')).toEqual(['50000']);
  });

  it('keeps a # inside a word, as tmux does', () => {
    const tokens = tokenize('tmux', 'set -g status-style bg=#112233');
    expect(styled(tokens, 'comment')).toEqual([]);
  });
});

describe('the shell and ini modes', () => {
  it('colours a .bashrc: comments, keywords, strings', () => {
    const tokens = tokenize(
      'shell',
      ['# aliases', 'export PATH="$HOME/bin:$PATH"', 'if [ -f ~/.x ]; then echo hi; fi'].join('\n'),
    );
    expect(styled(tokens, 'comment')).toEqual(['# aliases']);
    expect(styled(tokens, 'keyword')).toEqual(expect.arrayContaining(['if', 'then', 'fi']));
    expect(tokens.some((t) => t.style === 'string')).toBe(true);
  });

  it('colours a .gitconfig: sections, keys and comments', () => {
    const tokens = tokenize(
      'ini',
      ['[user]', '  name = Ada', '# who', '[alias]', '  st = status'].join('\n'),
    );
    expect(styled(tokens, 'header')).toEqual(['[user]', '[alias]']);
    expect(styled(tokens, 'comment')).toEqual(['# who']);
  });
});
