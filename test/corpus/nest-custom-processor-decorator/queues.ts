export enum Queues {
  Mail = 'mail',
  Passwords = 'passwords',
}
