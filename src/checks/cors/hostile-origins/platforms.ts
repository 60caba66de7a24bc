/**
 * Hosting platforms where anyone can get a subdomain in minutes. An allowlist entry such as
 * `*.vercel.app` (often added for preview deployments) therefore trusts every other customer of
 * the platform: an attacker deploys a page there and reads what the API returns to its visitors.
 *
 * Every suffix is in the private section of the Public Suffix List
 * (https://publicsuffix.org/list/public_suffix_list.dat), which is why browsers already treat
 * each subdomain as a separate site. Keep the list short and common; add a platform when users
 * deploy front-ends on it, and check it is in the PSL first.
 */
export interface Platform {
  /** The public suffix under which anyone can register a name. */
  suffix: string;
  name: string;
}

export const HOSTING_PLATFORMS: readonly Platform[] = [
  { suffix: 'vercel.app', name: 'Vercel' },
  { suffix: 'netlify.app', name: 'Netlify' },
  { suffix: 'github.io', name: 'GitHub Pages' },
  { suffix: 'gitlab.io', name: 'GitLab Pages' },
  { suffix: 'pages.dev', name: 'Cloudflare Pages' },
  { suffix: 'workers.dev', name: 'Cloudflare Workers' },
  { suffix: 'trycloudflare.com', name: 'Cloudflare Tunnel' },
  { suffix: 'fly.dev', name: 'Fly.io' },
  { suffix: 'herokuapp.com', name: 'Heroku' },
  { suffix: 'onrender.com', name: 'Render' },
  { suffix: 'up.railway.app', name: 'Railway' },
  { suffix: 'web.app', name: 'Firebase Hosting' },
  { suffix: 'firebaseapp.com', name: 'Firebase Hosting (legacy)' },
  { suffix: 'appspot.com', name: 'Google App Engine' },
  { suffix: 'azurewebsites.net', name: 'Azure App Service' },
  { suffix: 'azurestaticapps.net', name: 'Azure Static Web Apps' },
  { suffix: 'amplifyapp.com', name: 'AWS Amplify' },
  { suffix: 'cloudfront.net', name: 'AWS CloudFront' },
  { suffix: 's3.amazonaws.com', name: 'AWS S3' },
  { suffix: 'ngrok-free.app', name: 'ngrok' },
  { suffix: 'glitch.me', name: 'Glitch' },
  { suffix: 'surge.sh', name: 'Surge' },
  { suffix: 'deno.dev', name: 'Deno Deploy' },
];

/** Stable probe-kind suffix for a platform: `vercel.app` → `vercel-app`. */
export function platformSlug(p: Platform): string {
  return p.suffix.replace(/\./g, '-');
}
