/** Brand colour: the manifest's theme colour, the icons and the app's primary buttons. */
export const THEME_COLOUR = '#1d4ed8';

/** The splash screen and page background while the app starts. */
export const BACKGROUND_COLOUR = '#f4f6fb';

/** The browser's bar in the dark theme (the page's dark background, `--bg` in styles.css). */
export const DARK_THEME_COLOUR = '#0f172a';
