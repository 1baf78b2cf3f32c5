import { createApp } from 'tasklane';
import { Git } from './git.ts';
import { Octokit } from '@octokit/rest';
const octokit = new Octokit();
const app = createApp({ name: 'ci' });
app.task('ci.changelog', async (repo: string, owner: string, name: string) => {
  const commits = Git.log(repo, 50);
  await octokit.repos.createRelease({ owner, repo: name, tag_name: 'next', body: commits.join('\n') });
});
